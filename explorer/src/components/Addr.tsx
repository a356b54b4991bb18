import { Link } from "react-router-dom";

import { useAddressName } from "../app-data.js";
import { isAddress, shortHex } from "../format.js";
import { Copy } from "./Copy.js";

/** An address: the organisation's (or contract's) name and the short address, full address on hover and copy. */
export function Addr({ address, link = true }: { address: string; link?: boolean }) {
  const name = useAddressName(address);
  if (!isAddress(address)) return <span>{address}</span>;
  const short = shortHex(address);
  const label = name ?? short;
  return (
    <span className="addr" title={address} data-address={address}>
      {link ? <Link to={`/address/${address}`}>{label}</Link> : <span>{label}</span>}
      {name !== undefined && <code className="muted"> {short}</code>}
      <Copy text={address} />
    </span>
  );
}
