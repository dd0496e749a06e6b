// OPC-UA peer for cmd/vigie's field acceptance test, on 127.0.0.1 only (security None):
//   NODE_PATH=adapters/opcua/testdata/server/node_modules node opcua-storm.js PORT PKI_DIR SENSOR...
// Serves one Double variable per sensor, node id ns=1;s=<sensor>, with status
// BadWaitingForInitialData until set. Each line on stdin, "<sensor> <RFC 3339 time> <value>", sets
// a variable Good with that source timestamp. Prints READY <url> once listening.
const ua = require("node-opcua");
const readline = require("readline");
const [port, pki, ...sensors] = process.argv.slice(2);
(async () => {
  const serverCertificateManager = new ua.OPCUACertificateManager({ rootFolder: pki, automaticallyAcceptUnknownCertificate: true });
  const server = new ua.OPCUAServer({
    port: Number(port), host: "127.0.0.1", serverCertificateManager,
    serverInfo: { applicationUri: "urn:vigie:test:opcua-storm" },
    securityPolicies: [ua.SecurityPolicy.None], securityModes: [ua.MessageSecurityMode.None],
  });
  await server.initialize();
  const ns = server.engine.addressSpace.getOwnNamespace();
  const folder = ns.addFolder(server.engine.addressSpace.rootFolder.objects, { browseName: "Storm" });
  const vars = {};
  for (const s of sensors) {
    vars[s] = ns.addVariable({ componentOf: folder, nodeId: "s=" + s, browseName: s, dataType: "Double" });
    vars[s].setValueFromSource({ dataType: ua.DataType.Double, value: 0 }, ua.StatusCodes.BadWaitingForInitialData);
  }
  readline.createInterface({ input: process.stdin }).on("line", (line) => {
    const [sensor, time, value] = line.trim().split(/\s+/);
    const v = vars[sensor];
    if (!v) {
      console.error("unknown sensor " + sensor);
      return;
    }
    v.setValueFromSource({ dataType: ua.DataType.Double, value: Number(value) }, ua.StatusCodes.Good, new Date(time));
  });
  await server.start();
  console.log("READY " + server.getEndpointUrl());
})().catch((err) => { console.error(err); process.exit(1); });
