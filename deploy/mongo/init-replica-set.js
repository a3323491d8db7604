// Run by the mongo-init service as root: initiate rs0 once, then make sure the application's
// user exists with readWrite on the partwise database only. Safe to run again.
const members = ["mongo1:27017", "mongo2:27017", "mongo3:27017"];

try {
  rs.status();
  print("replica set rs0 already initiated");
} catch (e) {
  rs.initiate({ _id: "rs0", members: members.map((host, i) => ({ _id: i, host })) });
  print("replica set rs0 initiated");
}

// Writes need a primary: wait for the election.
for (let i = 0; i < 60 && !db.hello().isWritablePrimary; i++) {
  sleep(1000);
}

const app = db.getSiblingDB("partwise");
const password = process.env.MONGO_APP_PASSWORD;
if (!password) {
  throw new Error("MONGO_APP_PASSWORD is empty");
}
if (app.getUser("partwise")) {
  app.updateUser("partwise", { pwd: password, roles: [{ role: "readWrite", db: "partwise" }] });
} else {
  app.createUser({ user: "partwise", pwd: password, roles: [{ role: "readWrite", db: "partwise" }] });
}
print("application user ready");
