import { render } from "preact";

import { Chat } from "./components/Chat.jsx";
import "./widget.css";

render(<Chat />, document.getElementById("insatslotsen"));
