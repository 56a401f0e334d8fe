// A dataset version: counts, and the label table laid out like the paper's dataset table with
// the paper's counts beside ours. (How a run's split divides it is on the run's page.)
import { LabelTable, formatTime } from '@ovus/ui';
import type { Metadata } from 'next';
import { PageHead, Stat } from '../../../src/components/page-head';
import { api, type Caller } from '../../../src/server/api';
import { orNotFound } from '../../../src/server/not-found';

export const dynamic = 'force-dynamic';
export const metadata: Metadata = { title: 'Dataset' };

type DatasetVersion = Awaited<ReturnType<Caller['datasets']['version']>>;

function DatasetVersionBody({ version }: { version: DatasetVersion }) {
  return (
    <>
      <PageHead
        crumbs={[{ label: 'Datasets', href: '/datasets' }, { label: version.datasetName }]}
        title={
          <>
            {version.datasetName} <code>{version.version}</code>
          </>
        }
        sub={
          <>
            Imported {formatTime(new Date(version.createdAt))} · <a href={`/runs?dataset=${version.id}`}>runs trained on this version</a>
          </>
        }
      />
      <div className="stat-row">
        <Stat label="Cases" value={<span data-testid="case-count">{version.caseCount}</span>} />
        <Stat label="Patients" value={version.patientCount} />
        <Stat label="Benign" value={version.classCounts.benign} />
        <Stat label="Malignant" value={version.classCounts.malignant} />
      </div>
      <section className="card" aria-labelledby="labels">
        <h2 id="labels">Labels, laid out like the paper's dataset table</h2>
        <LabelTable
          rows={version.labelTable}
          classCounts={version.classCounts}
          paperClassCounts={version.paperClassCounts}
          missing={version.missingLabels}
          caption="Cases per class of each clinical parameter among benign and malignant tumours; the paper's counts on the right"
        />
      </section>
    </>
  );
}

type DatasetVersionPageProps = { params: Promise<{ versionId: string }> };

/** The version is all the page shows: an unknown id answers 404 before anything renders. */
export default async function DatasetVersionPage(props: DatasetVersionPageProps) {
  const { versionId } = await props.params;
  const version = await orNotFound((await api()).datasets.version({ id: versionId }));
  return <DatasetVersionBody version={version} />;
}
