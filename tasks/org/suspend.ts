import { changeStatus } from "./status.js";

export default changeStatus("suspend");
