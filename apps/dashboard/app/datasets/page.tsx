// Every dataset and its versions (each import of different content is a new version).
import { EmptyState, formatTime } from '@ovus/ui';
import type { Metadata } from 'next';
import { PageHead } from '../../src/components/page-head';
import { api } from '../../src/server/api';
import { Streamed } from '../../src/components/streamed';

export const dynamic = 'force-dynamic';
export const metadata: Metadata = { title: 'Datasets' };

async function DatasetsBody() {
  const caller = await api();
  const datasets = await caller.datasets.list({ limit: 100 });
  return (
    <>
      <PageHead title="Datasets" sub="Imported datasets and their versions." />
      {datasets.items.length === 0 ? (
        <EmptyState title="No datasets imported">
          <p>
            <code>npx ovus import manifest.csv --name my-data</code> imports one; <code>npm run demo</code> makes a phantom.
          </p>
        </EmptyState>
      ) : (
        datasets.items.map((d) => (
          <section key={d.name} className="card" aria-labelledby={`dataset-${d.name}`}>
            <h2 id={`dataset-${d.name}`}>{d.name}</h2>
            <div className="ui-table-wrap">
              <table className="ui-table" data-testid="dataset-versions">
                <caption className="ui-visually-hidden">Versions of {d.name}</caption>
                <thead>
                  <tr>
                    <th scope="col">Version</th>
                    <th scope="col">Imported</th>
                    <th scope="col">Runs</th>
                    <th scope="col" className="num">
                      Cases
                    </th>
                    <th scope="col" className="num">
                      Patients
                    </th>
                  </tr>
                </thead>
                <tbody>
                  {d.versions.map((v) => (
                    <tr key={v.id}>
                      <th scope="row">
                        <a href={`/datasets/${v.id}`}>
                          <code>{v.version}</code>
                        </a>
                      </th>
                      <td>{formatTime(new Date(v.createdAt))}</td>
                      <td>
                        <a href={`/runs?dataset=${v.id}`}>runs on it</a>
                      </td>
                      <td className="num">{v.caseCount}</td>
                      <td className="num">{v.patientCount}</td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </div>
          </section>
        ))
      )}
    </>
  );
}

export default function DatasetsPage() {
  return (
    <Streamed>
      <DatasetsBody />
    </Streamed>
  );
}
