// Client addresses as the abuse limits and the Sybil checks see them: one parse of IPv4 and every IPv6 spelling
// (compressed, IPv4-mapped, zone ids), then a rate-limit key (an IPv4 address, an IPv6 /64) and an address block
// (an IPv4 /24, an IPv6 /48) — the unit within which keys are presumed to be one person.

/** An address's 16 bytes (IPv4 as IPv4-mapped IPv6), or null when it is not an IP address. */
export function parseAddress(text: string | undefined): Uint8Array | null {
  if (!text) return null;
  const address = text.trim().replace(/^\[|\]$/g, "").replace(/%.*$/, "").toLowerCase();
  const v4 = parseIpv4(address);
  if (v4) return Uint8Array.from([0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xff, 0xff, ...v4]);
  if (!/^[0-9a-f:.]+$/.test(address) || address.length > 45) return null;
  const halves = address.split("::");
  if (halves.length > 2) return null;
  const groupsOf = (part: string): number[] | null => {
    if (part === "") return [];
    const out: number[] = [];
    const pieces = part.split(":");
    for (let k = 0; k < pieces.length; k++) {
      const piece = pieces[k]!;
      if (k === pieces.length - 1 && piece.includes(".")) {
        const tail = parseIpv4(piece);
        if (!tail) return null;
        out.push((tail[0]! << 8) | tail[1]!, (tail[2]! << 8) | tail[3]!);
      } else if (/^[0-9a-f]{1,4}$/.test(piece)) out.push(parseInt(piece, 16));
      else return null;
    }
    return out;
  };
  const head = groupsOf(halves[0]!);
  const tail = halves.length === 2 ? groupsOf(halves[1]!) : [];
  if (!head || !tail) return null;
  const missing = 8 - head.length - tail.length;
  if (halves.length === 2 ? missing < 1 : missing !== 0) return null;
  const groups = [...head, ...Array<number>(missing).fill(0), ...tail];
  return Uint8Array.from(groups.flatMap((g) => [g >> 8, g & 0xff]));
}

function parseIpv4(text: string): number[] | null {
  const parts = text.split(".");
  if (parts.length !== 4 || !parts.every((p) => /^(0|[1-9][0-9]{0,2})$/.test(p))) return null;
  const bytes = parts.map(Number);
  return bytes.every((b) => b <= 255) ? bytes : null;
}

const isMappedV4 = (bytes: Uint8Array): boolean => bytes.slice(0, 10).every((b) => b === 0) && bytes[10] === 0xff && bytes[11] === 0xff;

function prefix(bytes: Uint8Array, v4Bits: number, v6Bits: number): string {
  if (isMappedV4(bytes)) {
    const v4 = [...bytes.slice(12)].map((b, k) => (k * 8 < v4Bits ? b : 0));
    return v4Bits === 32 ? v4.join(".") : `${v4.join(".")}/${v4Bits}`;
  }
  const groups = Array.from({ length: 8 }, (_, k) => ((bytes[2 * k]! << 8) | bytes[2 * k + 1]!) & (k * 16 < v6Bits ? 0xffff : 0));
  return `${groups.slice(0, v6Bits / 16).map((g) => g.toString(16)).join(":")}::/${v6Bits}`;
}

/**
 * The budget a rate limit counts against: an IPv4 address, or an IPv6 /64 (a client can switch addresses
 * within its /64), however the address is spelled. Requests with no or an unreadable address share one budget.
 */
export function clientKey(address: string | undefined): string {
  const bytes = parseAddress(address);
  if (!bytes) return "unknown";
  return prefix(bytes, 32, 64);
}

/**
 * The block within which contributor keys are presumed to be one person (an IPv4 /24, an IPv6 /48): two keys
 * from one block never confirm each other, never replay two segments of one run, never make a quorum.
 */
export function addressBlock(address: string | undefined): string {
  const bytes = parseAddress(address);
  if (!bytes) return "unknown";
  return prefix(bytes, 24, 48);
}
