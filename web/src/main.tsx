// Entry point of the web client: mounts the app and its one stylesheet.
import { render } from "preact";
import { App } from "./app";
import "./styles.css";

render(<App />, document.getElementById("app")!);
