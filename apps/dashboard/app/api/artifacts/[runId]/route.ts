// An artifact's bytes, for the run page's Download links (/api/artifacts/<runId>?path=<path>):
// a plain HTTP route because tRPC carries JSON, not files. A member's session is required like
// every team page; the bytes are checked against their sha256 by the store and the digest goes
// out in a header so a script can check them again.
import { artifact } from '../../../../src/server/api';

export const dynamic = 'force-dynamic';

export async function GET(request: Request, { params }: { params: Promise<{ runId: string }> }): Promise<Response> {
  const { runId } = await params;
  const path = new URL(request.url).searchParams.get('path') ?? '';
  const found = await artifact(runId, path);
  if (found === 'sign-in') return Response.json({ error: 'Sign in to download artifacts.' }, { status: 401 });
  if (found === null) return Response.json({ error: `Run ${runId} has no artifact '${path}'.` }, { status: 404 });
  return new Response(new Uint8Array(found.data), {
    headers: {
      'content-type': 'application/octet-stream',
      'content-length': String(found.bytes),
      'content-disposition': `attachment; filename="${found.filename}"`,
      'x-content-sha256': found.sha256,
      'cache-control': 'private, no-store',
    },
  });
}
