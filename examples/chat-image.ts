// Image understanding: ask about a picture given by URL, or by a local file (sent inline as a data URL).
//   npx tsx examples/chat-image.ts [picture.png|jpg]
import { readFile } from "node:fs/promises";
import { image, user } from "xai-grpc";
import { connect } from "./_connect.js";

const path = process.argv[2];
const picture = path
  ? image(await readFile(path), { detail: "high" })
  : image("https://upload.wikimedia.org/wikipedia/commons/3/3a/Cat03.jpg", { detail: "high" });

await using session = await connect();
const chat = session.client.chat.create({
  model: "grok-4",
  messages: [user("What is in this picture?", picture)],
});
const response = await chat.sample();
console.log(response.content);
console.log(`\n(${response.usage?.promptImageTokens} image tokens)`);
