import { StrictMode } from "react";
import { createRoot } from "react-dom/client";

import { App } from "./App.js";
import { handOverFirstScreen } from "./first-screen.js";
import { initI18n } from "./i18n.js";
import "./styles.css";

initI18n();
const root = document.getElementById("root")!;
handOverFirstScreen(root);
createRoot(root).render(
  <StrictMode>
    <App />
  </StrictMode>,
);
