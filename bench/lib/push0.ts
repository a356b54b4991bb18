/**
 * PUSH0 (0x5f) as an instruction in EVM code, found by disassembling (PUSH1..PUSH32 data skipped)
 * up to solc's trailing CBOR metadata, as test/Push0.ts does.
 */
import { getBytes } from "ethers";

const PUSH0 = 0x5f;
const PUSH1 = 0x60;
const PUSH32 = 0x7f;

function codeBytes(hex: string): Uint8Array {
  const linked = hex.replace(/__\$[0-9a-fA-F]{34}\$__/g, "0".repeat(40));
  return getBytes(linked.startsWith("0x") ? linked : `0x${linked}`);
}

function codeLength(code: Uint8Array): number {
  if (code.length < 2) return code.length;
  const cborLength = (code[code.length - 2]! << 8) | code[code.length - 1]!;
  const start = code.length - 2 - cborLength;
  if (cborLength === 0 || start < 0) return code.length;
  return (code[start]! & 0xe0) === 0xa0 ? start : code.length;
}

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
