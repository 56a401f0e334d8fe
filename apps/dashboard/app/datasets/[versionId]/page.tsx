// A dataset version: counts, the label table laid out like the paper's dataset table, and the
// split composition of the runs that used it (cases and malignant share per part).
import { LabelTable, formatTime } from '@ovus/ui';
import type { Metadata } from 'next';
import { PageHead, Stat } from '../../../src/components/page-head';
import { api } from '../../../src/server/api';
import { orNotFound } from '../../../src/server/not-found';

export const dynamic = 'force-dynamic';
export const metadata: Metadata = { title: 'Dataset' };

export default async function DatasetVersionPage({ params }: { params: Promise<{ versionId: string }> }) {
  const { versionId } = await params;
  const caller = await api();
  const version = await orNotFound(caller.datasets.get({ versionId }));
  return (
    <>
      <PageHead
        crumbs={[{ label: 'Datasets', href: '/datasets' }, { label: version.name }]}
        title={`${version.name} ${version.contentHash.slice(0, 12)}`}
        sub={`Imported ${formatTime(version.createdAt)} from ${version.manifestPath}`}
      />
      <div className="stat-row">
        <Stat label="Cases" value={version.caseCount} />
        <Stat label="Patients" value={version.patientCount} />
        <Stat label="Benign" value={version.statistics.classCounts.benign} />
        <Stat label="Malignant" value={version.statistics.classCounts.malignant} />
      </div>
      <section className="card" aria-labelledby="labels">
        <h2 id="labels">Labels (as the paper's dataset table)</h2>
        <LabelTable statistics={version.statistics} caption="Cases per class of each clinical parameter, among benign and malignant tumours" />
      </section>
      <section className="card" aria-labelledby="splits">
        <h2 id="splits">Splits used by runs</h2>
        {version.splits.length === 0 ? (
          <p className="ui-muted">No run has used this version yet.</p>
        ) : (
          <div className="ui-table-wrap">
            <table className="ui-table" data-testid="split-composition">
              <caption className="ui-visually-hidden">Split composition</caption>
              <thead>
                <tr>
                  <th scope="col">Split</th>
                  <th scope="col" className="num">
                    Runs
                  </th>
                  {(['train', 'validation', 'test'] as const).map((part) => (
                    <th key={part} scope="col" className="num">
                      {part}: cases (malignant)
                    </th>
                  ))}
                </tr>
              </thead>
              <tbody>
                {version.splits.map((s) => (
                  <tr key={s.id}>
                    <th scope="row">
                      {s.kind} seed {s.seed}
                      {s.fold !== null ? `, fold ${s.fold}/${s.folds}` : ''}
                    </th>
                    <td className="num">{s.runCount}</td>
                    {(['train', 'validation', 'test'] as const).map((part) => (
                      <td key={part} className="num">
                        {s.parts[part].cases} ({s.parts[part].malignant})
                      </td>
                    ))}
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        )}
      </section>
    </>
  );
}
