// Liveness for whoever starts the server (npm run dashboard, the demo, tests, Kubernetes probes).
export function GET(): Response {
  return Response.json({ ok: true });
}
