// OPC-UA peer for the tests of adapters/opcua, on 127.0.0.1 only:
//   node server.js PORT PKI_DIR [open|strict] [CERT.pem KEY.pem]
// "strict" refuses client certificates not in PKI_DIR/trusted/certs. Variables in ns=1 change every
// 100 ms; Sud.Level cycles Good, Uncertain, Bad. User "vigie" / "secret" may log in.
const ua = require("node-opcua");
const [port, pki, trust = "open", certificateFile, privateKeyFile] = process.argv.slice(2);
(async () => {
  const serverCertificateManager = new ua.OPCUACertificateManager({ rootFolder: pki, automaticallyAcceptUnknownCertificate: trust !== "strict" });
  const server = new ua.OPCUAServer({
    port: Number(port), host: "127.0.0.1", serverCertificateManager, certificateFile, privateKeyFile,
    serverInfo: { applicationUri: "urn:vigie:test:opcua-server" },
    securityPolicies: [ua.SecurityPolicy.None, ua.SecurityPolicy.Basic256Sha256],
    securityModes: [ua.MessageSecurityMode.None, ua.MessageSecurityMode.SignAndEncrypt],
    userManager: { isValidUser: (user, password) => user === "vigie" && password === "secret" },
  });
  await server.initialize();
  const ns = server.engine.addressSpace.getOwnNamespace();
  const dams = ns.addFolder(server.engine.addressSpace.rootFolder.objects, { browseName: "Dams" });
  const variable = (name) => ns.addVariable({ componentOf: dams, nodeId: "s=" + name, browseName: name, dataType: "Double" });
  const mejean = variable("Mejean.Level"), est = variable("Est.LevelCm"), sud = variable("Sud.Level");
  const quality = [ua.StatusCodes.Good, ua.StatusCodes.UncertainLastUsableValue, ua.StatusCodes.BadSensorFailure];
  let i = 0;
  const tick = () => {
    i++;
    const now = new Date();
    mejean.setValueFromSource({ dataType: ua.DataType.Double, value: 2 + (i % 500) / 100 }, ua.StatusCodes.Good, now);
    est.setValueFromSource({ dataType: ua.DataType.Double, value: 150 + (i % 500) }, ua.StatusCodes.Good, now);
    sud.setValueFromSource({ dataType: ua.DataType.Double, value: 1 + (i % 500) / 100 }, quality[i % 3], now);
  };
  tick();
  setInterval(tick, 100);
  await server.start();
  console.log("READY " + server.getEndpointUrl());
})().catch((err) => { console.error(err); process.exit(1); });
