// A TCP port for a server a script or test starts (fakes, API, throwaway clusters).

/** A TCP port nothing listens on now (the OS picks it). */
export function freePort(): number {
  const l = Deno.listen({ hostname: "127.0.0.1", port: 0 });
  const port = (l.addr as Deno.NetAddr).port;
  l.close();
  return port;
}
