// OPC-UA client for the tests of Vigie's server: node client.js URL DAM
// Browses Objects/Dams/DAM, reads its variables and prints them as JSON on a line starting "RESULT ".
const ua = require("node-opcua");
const [url, dam] = process.argv.slice(2);
(async () => {
  const client = ua.OPCUAClient.create({ endpointMustExist: false, securityMode: ua.MessageSecurityMode.None,
    securityPolicy: ua.SecurityPolicy.None, connectionStrategy: { maxRetry: 0 } });
  await client.connect(url);
  const session = await client.createSession();
  const ns = (await session.readNamespaceArray()).indexOf("urn:vigie");
  // Browsed step by step: gopcua's server does not implement TranslateBrowsePathsToNodeIds.
  const child = async (node, name) => (await session.browse(node)).references.find((r) => r.browseName.name === name).nodeId;
  const folder = await child(await child("ns=0;i=85", "Dams"), dam);
  const refs = (await session.browse(folder)).references.filter((r) => r.nodeClass === ua.NodeClass.Variable);
  const out = { namespace: ns };
  for (const r of refs) {
    const dv = await session.read({ nodeId: r.nodeId, attributeId: ua.AttributeIds.Value });
    out[r.browseName.name] = { value: dv.value.value, status: dv.statusCode.name };
  }
  console.log("RESULT " + JSON.stringify(out));
  await session.close();
  await client.disconnect();
})().catch((err) => { console.error(err.message); process.exit(1); });
