export { ChatClient } from "./client.js";
