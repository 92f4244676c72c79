/** IPv4 arithmetic for the sandbox's rule evaluation. */
export function ipToInt(ip: string): number {
  return ip.split('.').reduce((n, o) => n * 256 + Number(o), 0);
}

export function inCidr(ip: string, cidr: string): boolean {
  const [base, bits] = cidr.split('/');
  const len = Number(bits ?? 32);
  if (len === 0) return true;
  const mask = 2 ** 32 - 2 ** (32 - len);
  return (ipToInt(ip) & mask) >>> 0 === (ipToInt(base) & mask) >>> 0;
}

export function prefixLength(cidr: string): number {
  return Number(cidr.split('/')[1] ?? 32);
}

/** Inclusive port ranges overlap; an unspecified port (any) overlaps every range. */
export function portMatches(port: number | undefined, from: number, to: number): boolean {
  return port === undefined ? true : port >= from && port <= to;
}

/** Whether a rule's range covers every port wanted (replies use the whole ephemeral range 1024–65535). */
export function coversPorts(want: { from: number; to: number } | undefined, from: number, to: number): boolean {
  return want === undefined ? true : from <= want.from && to >= want.to;
}
