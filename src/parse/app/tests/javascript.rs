use super::*;

const JS: SourceKind = SourceKind::JavaScript;

#[test]
fn node_listen_with_only_a_port_defaults_to_all_interfaces() {
    let text = "const app = express();\napp.listen(3000);\n";
    let listen = one_listen(JS, text);
    assert_eq!(listen.api, "app.listen");
    assert_eq!(at(text, listen.span), "app.listen(3000)");
    assert_default(
        text,
        &listen,
        true,
        "const app = express();\napp.listen(3000, \"127.0.0.1\");\n",
    );
}

#[test]
fn node_listen_with_a_callback_inserts_before_it() {
    let text = "app.listen(PORT, () => console.log(\"up\"));\n";
    let listen = one_listen(JS, text);
    assert_default(
        text,
        &listen,
        true,
        "app.listen(PORT, \"127.0.0.1\", () => console.log(\"up\"));\n",
    );
    let text = "function ready() {}\nserver.listen(port, ready);\n";
    assert_default(
        text,
        &one_listen(JS, text),
        true,
        "function ready() {}\nserver.listen(port, \"127.0.0.1\", ready);\n",
    );
}

#[test]
fn node_listen_with_a_host_argument() {
    let text = "server.listen(3000, \"0.0.0.0\", cb);\nhttp.createServer(h).listen(80, '127.0.0.1');\n";
    let listens = facts(JS, text).listens;
    assert_eq!(listens[0].api, "server.listen");
    assert_host(text, &listens[0], "0.0.0.0");
    assert_eq!(listens[1].api, "http.createServer(…).listen");
    assert_host(text, &listens[1], "127.0.0.1");
}

#[test]
fn host_constant_one_step_away_and_unknown_host() {
    let text = "const HOST = \"::\";\nserver.listen(PORT, HOST);\nserver.listen(PORT, process.env.HOST);\n";
    let listens = facts(JS, text).listens;
    assert_host(text, &listens[0], "::");
    assert_unknown(&listens[1]);
}

#[test]
fn listen_options_object() {
    let text = "server.listen({ port: 80, host: \"0.0.0.0\" });\nserver.listen({ port });\nserver.listen({ ...opts });\n";
    let listens = facts(JS, text).listens;
    assert_host(text, &listens[0], "0.0.0.0");
    assert_default(
        text,
        &listens[1],
        true,
        "server.listen({ port: 80, host: \"0.0.0.0\" });\nserver.listen({ port, host: \"127.0.0.1\" });\nserver.listen({ ...opts });\n",
    );
    assert_unknown(&listens[2]);
}

#[test]
fn listen_options_shorthand_host_resolves() {
    let text = "const host = '0.0.0.0';\napp.listen({ port, host });\n";
    assert_host(text, &one_listen(JS, text), "0.0.0.0");
}

#[test]
fn listen_on_a_socket_path() {
    let text = "server.listen(\"/tmp/app.sock\");\nserver.listen(\"8080\");\n";
    let listens = facts(JS, text).listens;
    assert_host_port(text, &listens[0], "/tmp/app.sock");
    assert!(matches!(
        listens[1].address,
        ListenAddress::Default {
            all_interfaces: true,
            ..
        }
    ));
}

#[test]
fn fastify_defaults_to_localhost() {
    let text = "const fastify = require('fastify')({ logger: true });\nfastify.listen({ port: 3000 });\n";
    let listen = one_listen(JS, text);
    assert_default(
        text,
        &listen,
        false,
        "const fastify = require('fastify')({ logger: true });\nfastify.listen({ port: 3000, host: \"127.0.0.1\" });\n",
    );
    let text = "import Fastify from 'fastify'\nconst app = Fastify()\nawait app.listen({ port: 3000, host: '0.0.0.0' })\napp.listen(3000)\n";
    let listens = facts(JS, text).listens;
    assert_host(text, &listens[0], "0.0.0.0");
    assert!(matches!(
        listens[1].address,
        ListenAddress::Default {
            all_interfaces: false,
            ..
        }
    ));
}

#[test]
fn typescript_and_tsx_read_the_same_forms() {
    let text = "const app: Express = express();\nfunction start(host: string = \"0.0.0.0\") {\n  app.listen(PORT as number, host);\n}\n";
    assert_host(text, &one_listen(SourceKind::TypeScript, text), "0.0.0.0");
    let text = "const e = <a href=\"http://billing:8080/\">x</a>;\nserver.listen(3000);\n";
    let facts = facts(SourceKind::Tsx, text);
    assert_eq!(facts.listens.len(), 1);
    assert_eq!(at(text, facts.strings[0].span), "http://billing:8080/");
}

#[test]
fn commented_out_listen_is_ignored() {
    assert!(facts(JS, "// app.listen(3000)\n/* server.listen(80) */\n")
        .listens
        .is_empty());
}

#[test]
fn template_literals_keep_placeholders_as_written() {
    let text = "const u = `http://${host}:${port}/x`;\nconst v = 'http://billing.service.consul';\nconst w = \"0.0.0.0.example.com\";\n";
    assert_eq!(
        strings(JS, text),
        ["http://${host}:${port}/x", "http://billing.service.consul"]
    );
}

#[test]
fn grpc_js_bind_async_is_host_and_port() {
    let text = "const server = new grpc.Server();\nserver.bindAsync(\"0.0.0.0:50051\", grpc.ServerCredentials.createInsecure(), () => {});\nserver.bindAsync('[::]:50052', creds, cb);\n";
    let listens = facts(JS, text).listens;
    assert_eq!(listens.len(), 2);
    assert_eq!(listens[0].api, "server.bindAsync");
    assert_eq!(
        at(text, listens[0].span),
        "server.bindAsync(\"0.0.0.0:50051\", grpc.ServerCredentials.createInsecure(), () => {})"
    );
    assert_host_port(text, &listens[0], "0.0.0.0:50051");
    assert_host_port(text, &listens[1], "[::]:50052");
}

#[test]
fn grpc_js_bind_async_on_loopback_is_read_as_written() {
    let text = "server.bindAsync(\"127.0.0.1:50051\", creds, cb);\nserver.bindAsync(\"localhost:50051\", creds, cb);\nserver.bindAsync(`[::1]:50051`, creds, cb);\n";
    let listens = facts(JS, text).listens;
    assert_eq!(listens.len(), 3);
    assert_host_port(text, &listens[0], "127.0.0.1:50051");
    assert_host_port(text, &listens[1], "localhost:50051");
    assert_host_port(text, &listens[2], "[::1]:50051");
}

#[test]
fn grpc_js_address_with_a_written_host_and_a_computed_port_is_that_host() {
    let text = "const ADDRESS = `0.0.0.0:${port}`;\nserver.bindAsync(ADDRESS, creds, cb);\nserver.bindAsync(\"[::]:\" + port, creds, cb);\n";
    let listens = facts(JS, text).listens;
    assert_eq!(listens.len(), 2);
    assert_host(text, &listens[0], "0.0.0.0");
    assert_host(text, &listens[1], "[::]");
}

#[test]
fn grpc_js_bind_async_with_an_unknown_address_is_unknown() {
    let text = "server.bindAsync(address, creds, cb);\nserver.bindAsync(process.env.GRPC_ADDRESS, creds, cb);\nserver.bindAsync(`${host}:${port}`, creds, cb);\n";
    let listens = facts(SourceKind::TypeScript, text).listens;
    assert_eq!(listens.len(), 3);
    listens.iter().for_each(assert_unknown);
}

#[test]
fn old_grpc_bind_needs_server_credentials() {
    let text = "server.bind(\"0.0.0.0:50051\", grpc.ServerCredentials.createInsecure());\nconst f = handler.bind(this);\nemitter.bind(\"0.0.0.0:1\", other);\n";
    let listen = one_listen(JS, text);
    assert_eq!(listen.api, "server.bind");
    assert_host_port(text, &listen, "0.0.0.0:50051");
}
