import { main } from "../ui.js";

main.dataset.ready = "1";
