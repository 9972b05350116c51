use super::*;

#[test]
fn properties_server_address_is_a_host() {
    for line in [
        "server.address=0.0.0.0",
        "server.address = 0.0.0.0  ",
        "server.address: 0.0.0.0",
        "server.address 0.0.0.0",
    ] {
        let text = format!("# app\nserver.port=8080\n{line}\n");
        let listen = one_listen(SourceKind::JavaProperties, &text);
        assert_eq!(listen.api, "server.address");
        assert_eq!(at(&text, listen.span), line.trim_end());
        assert_host(&text, &listen, "0.0.0.0");
    }
}

#[test]
fn properties_comments_placeholders_and_urls() {
    let text = "#server.address=0.0.0.0\n! server.address=::\nserver.address=${BIND:0.0.0.0}\nbilling.url=http\\://billing.service.consul\\:8080\n";
    let facts = facts(SourceKind::JavaProperties, text);
    assert_eq!(facts.listens.len(), 1);
    assert_unknown(&facts.listens[0]);
    assert_eq!(facts.strings.len(), 1);
    assert_eq!(facts.strings[0].value, "http://billing.service.consul:8080");
    assert_eq!(
        at(text, facts.strings[0].span),
        "http\\://billing.service.consul\\:8080"
    );
}

#[test]
fn yaml_nested_and_dotted_server_address() {
    let text = "spring:\n  application:\n    name: web\nserver:\n  port: 8080\n  address: 0.0.0.0 # all\n---\nserver.address: \"127.0.0.1\"\n";
    let listens = facts(SourceKind::SpringYaml, text).listens;
    assert_eq!(listens.len(), 2);
    assert_eq!(listens[0].api, "server.address");
    assert_eq!(at(text, listens[0].span), "  address: 0.0.0.0 # all");
    assert_host(text, &listens[0], "0.0.0.0");
    assert_host(text, &listens[1], "127.0.0.1");
}

#[test]
fn yaml_address_under_another_key_is_not_the_servers() {
    let text = "management:\n  server:\n    address: 0.0.0.0\nmail:\n  address: a@b.c\nserver:\n  # address: 0.0.0.0\n  port: 1\n";
    assert!(facts(SourceKind::SpringYaml, text).listens.is_empty());
}

#[test]
fn yaml_urls_in_values_and_lists() {
    let text = "upstreams:\n  - http://billing.service.consul:8080\n  - name: x\n    url: 'http://localhost:1234'\nnote: |\n  http://not-a-value\n";
    assert_eq!(
        strings(SourceKind::SpringYaml, text),
        ["http://billing.service.consul:8080", "http://localhost:1234"]
    );
}
