import { projectStatusAction } from "./project-status.js";

export default projectStatusAction("approve");
