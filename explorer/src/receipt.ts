/**
 * The donor's receipt check, computed in the browser (nothing is sent): the project's own pure
 * functions (ethers only), loaded on demand by the donation page.
 */
export { parseReceiptCode, receiptMatches } from "../../src/charity/receipt-code.js";
