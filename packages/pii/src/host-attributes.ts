/**
 * Attributes that name a server or this machine, read like `server.address` (issue 10: "infrastructure
 * identifiers treated consistently"; a loopback address was masked in some of them and kept in others).
 * Their value is kept when it is a host (a name, an IPv4 or IPv6 address, with a port); anything else in
 * them is scanned as text, so a secret or an e-mail address put there is still masked.
 *
 * - Always a server or this host: `url.domain` (the host of `url.full`, which keeps it), `http.host`,
 *   `net.host.name` (deprecated forms of `server.address`), `server.socket.address`, `server.socket.domain`,
 *   `network.local.address`.
 * - The network peer: on a CLIENT or PRODUCER span the server called, on a SERVER or CONSUMER span the
 *   client, who may be the end user (`client.address` is always scanned): `network.peer.address`,
 *   `net.peer.name`, `net.peer.ip`, `net.sock.peer.addr`, `net.sock.peer.name`.
 */
export const HOST_KEYS: readonly string[] = [
  'url.domain',
  'http.host',
  'net.host.name',
  'server.socket.address',
  'server.socket.domain',
  'network.local.address',
];

export const PEER_KEYS: ReadonlySet<string> = new Set(['network.peer.address', 'net.peer.name', 'net.peer.ip', 'net.sock.peer.addr', 'net.sock.peer.name']);

// A host name, an IPv4 address or a bracketed IPv6 address with an optional port, or a bare IPv6 address.
const HOST = /^(?:[A-Za-z0-9](?:[A-Za-z0-9-]{0,62}\.)*[A-Za-z0-9-]{0,63}|\[[0-9A-Fa-f:.]{2,45}\])(?::[0-9]{1,5})?$|^[0-9A-Fa-f:.]{2,45}$/;

export function isHost(value: string): boolean {
  return value.length <= 260 && HOST.test(value);
}
