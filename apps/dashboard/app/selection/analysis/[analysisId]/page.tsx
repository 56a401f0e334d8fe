// A selection analysis by id alone (the share-links list knows only the id): opens the selection
// page of its project with that analysis chosen.
import { redirect } from 'next/navigation';
import { api } from '../../../../src/server/api';
import { orNotFound } from '../../../../src/server/not-found';
import { hrefWith } from '../../../../src/url';

export const dynamic = 'force-dynamic';

export default async function SelectionAnalysisPage({ params }: { params: Promise<{ analysisId: string }> }) {
  const { analysisId } = await params;
  const analysis = await orNotFound((await api()).selection.get({ id: analysisId }));
  redirect(hrefWith('/selection', {}, { project: analysis.projectId, analysis: analysis.id }));
}
