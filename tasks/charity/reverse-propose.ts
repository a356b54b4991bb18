import { reversalAction } from "./reversal.js";

export default reversalAction("propose");
