/**
 * PUSH0 (0x5f) as an instruction in EVM code, found by disassembling (PUSH1..PUSH32 data skipped)
 * up to solc's trailing CBOR metadata (0x5f is common as PUSH data and inside the metadata). The one
 * disassembler of the repository: bench/static.ts counts with it and test/build/push0.ts tests it and
 * scans every artifact and every deployed code with it.
 */
import { getBytes } from "ethers";

const PUSH0 = 0x5f;
const PUSH1 = 0x60;
const PUSH32 = 0x7f;

/** Hex bytecode to bytes; unlinked library placeholders (`__$…$__`, 20 bytes) become zeros. */
export function codeBytes(hex: string): Uint8Array {
  const linked = hex.replace(/__\$[0-9a-fA-F]{34}\$__/g, "0".repeat(40));
  return getBytes(linked.startsWith("0x") ? linked : `0x${linked}`);
}

/**
 * The length of the code without solc's trailing CBOR metadata: the last two bytes give,
 * big-endian, the length of the CBOR map that precedes them. Left as is when they cannot
 * (the length overruns the code, or what it points at is not a CBOR map).
 */
export function codeLength(code: Uint8Array): number {
  if (code.length < 2) return code.length;
  const cborLength = (code[code.length - 2]! << 8) | code[code.length - 1]!;
  const start = code.length - 2 - cborLength;
  if (cborLength === 0 || start < 0) return code.length;
  const isMap = (code[start]! & 0xe0) === 0xa0; // CBOR major type 5
  return isMap ? start : code.length;
}

/** Byte offsets of every PUSH0 instruction, skipping PUSH1..PUSH32 data and the metadata. */
export function push0Offsets(hex: string): number[] {
  const code = codeBytes(hex);
  const end = codeLength(code);
  const found: number[] = [];
  for (let pc = 0; pc < end; pc++) {
    const op = code[pc]!;
    if (op === PUSH0) found.push(pc);
    else if (op >= PUSH1 && op <= PUSH32) pc += op - PUSH1 + 1;
  }
  return found;
}
