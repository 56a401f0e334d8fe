// Projects → their sweeps, with live progress of the running ones.
import { EmptyState, StatusBadge, SweepProgressBar, formatTime } from '@ovus/ui';
import { AutoRefresh } from '../src/components/auto-refresh';
import { PageHead } from '../src/components/page-head';
import { progressBar, sweepDisplayStatus } from '../src/components/progress';
import { api } from '../src/server/api';
import { Streamed } from '../src/components/streamed';

export const dynamic = 'force-dynamic';

async function ProjectsBody() {
  const caller = await api();
  const projects = await caller.projects.list({ limit: 100 });
  const sweepsByProject = await Promise.all(projects.items.map((p) => caller.sweeps.list({ projectId: p.id, limit: 100 })));
  const live = sweepsByProject.some((s) => s.items.some((sweep) => sweep.progress.byStatus.running + sweep.progress.byStatus.queued > 0));
  return (
    <>
      <PageHead title="Projects" sub="Every project, its sweeps and how far they are." actions={<AutoRefresh active={live} />} />
      {projects.items.length === 0 ? (
        <EmptyState title="No projects yet">
          <p>
            Train something first: <code>npm run demo</code> runs a small sweep, or <code>npx ovus sweep configs/paper-table2.yaml</code>.
          </p>
        </EmptyState>
      ) : (
        projects.items.map((project, i) => (
          <section key={project.id} className="card" aria-labelledby={`project-${project.id}`} data-project={project.name}>
            <h2 id={`project-${project.id}`}>
              <span>{project.name}</span>
<span className="export-links">
                <a className="ui-button" href={`/selection?project=${project.id}`}>
                  Parameter selection
                </a>
                <a className="ui-button" href={`/runs?project=${project.id}`}>
                  All runs of {project.name}
                </a>
              </span>
            </h2>
            <p className="ui-muted">
              {project.description ? `${project.description} · ` : ''}
              {project.runCount} run{project.runCount === 1 ? '' : 's'} in {project.sweepCount} sweep{project.sweepCount === 1 ? '' : 's'}
              {project.lastActivityAt ? ` · last activity ${formatTime(new Date(project.lastActivityAt))}` : ''}
            </p>
            {sweepsByProject[i].items.length === 0 ? (
              <p className="ui-muted">No sweeps in this project; its runs were trained one by one.</p>
            ) : (
              <div className="ui-table-wrap">
                <table className="ui-table" data-testid="sweeps-table">
                  <caption className="ui-visually-hidden">Sweeps of {project.name}</caption>
                  <thead>
                    <tr>
                      <th scope="col">Sweep</th>
                      <th scope="col">Status</th>
                      <th scope="col">Progress</th>
                      <th scope="col">Created</th>
                      <th scope="col" className="num">
                        Runs
                      </th>
                    </tr>
                  </thead>
                  <tbody>
                    {sweepsByProject[i].items.map((sweep) => (
                      <tr key={sweep.id} data-sweep={sweep.id}>
                        <th scope="row">
                          <a href={`/sweeps/${sweep.id}`}>{sweep.name}</a>
                        </th>
                        <td>
                          <StatusBadge status={sweepDisplayStatus(sweep)} />
                        </td>
                        <td>
                          <SweepProgressBar {...progressBar(sweep.progress)} />
                        </td>
                        <td>{formatTime(new Date(sweep.createdAt))}</td>
                        <td className="num">
                          <a href={`/runs?sweep=${sweep.id}`}>{sweep.progress.total}</a>
                        </td>
                      </tr>
                    ))}
                  </tbody>
                </table>
              </div>
            )}
          </section>
        ))
      )}
    </>
  );
}

export default function ProjectsPage() {
  return (
    <Streamed>
      <ProjectsBody />
    </Streamed>
  );
}
