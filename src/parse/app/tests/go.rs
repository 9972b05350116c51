use super::*;
use crate::net::{parse_listen_address, AllInterfacesSpelling, ListenClass};

const GO: SourceKind = SourceKind::Go;

#[test]
fn go_listen_and_serve_literal_is_host_port() {
    let text = "package main\nfunc main() { http.ListenAndServe(\":8080\", nil) }\n";
    let listen = one_listen(GO, text);
    assert_eq!(listen.api, "http.ListenAndServe");
    assert_eq!(at(text, listen.span), "http.ListenAndServe(\":8080\", nil)");
    assert_host_port(text, &listen, ":8080");
    let ListenAddress::HostPort { text: addr, .. } = &listen.address else {
        unreachable!()
    };
    assert_eq!(
        parse_listen_address(addr).class,
        ListenClass::AllInterfaces(AllInterfacesSpelling::EmptyHost)
    );
}

#[test]
fn go_listen_and_serve_tls_and_net_listen_read_their_address_argument() {
    let text = r#"package main
import "net"
func main() {
	http.ListenAndServeTLS("0.0.0.0:443", "c.pem", "k.pem", nil)
	l, _ := net.Listen("tcp", "[::]:9000")
}
"#;
    let listens = facts(GO, text).listens;
    assert_eq!(listens.len(), 2);
    assert_eq!(listens[0].api, "http.ListenAndServeTLS");
    assert_host_port(text, &listens[0], "0.0.0.0:443");
    assert_eq!(listens[1].api, "net.Listen");
    assert_host_port(text, &listens[1], "[::]:9000");
}

#[test]
fn install_guide_go_server_struct_loopback_and_all_interfaces() {
    for host in ["127.0.0.1", "0.0.0.0"] {
        let text = format!(
            "package main\n\nfunc main() {{\n\ts := &http.Server{{\n\t\tAddr:           \"{host}:8080\",\n\t}}\n\tlog.Fatal(s.ListenAndServe())\n}}\n"
        );
        let listen = one_listen(GO, &text);
        assert_eq!(listen.api, "http.Server");
        assert!(at(&text, listen.span).starts_with("http.Server{"));
        assert_host_port(&text, &listen, &format!("{host}:8080"));
    }
}

#[test]
fn go_server_struct_without_ampersand_and_with_import_alias() {
    let text = "package main\nimport nethttp \"net/http\"\nvar s = nethttp.Server{Addr: `:80`}\n";
    let listen = one_listen(GO, text);
    assert_eq!(listen.api, "nethttp.Server");
    assert_host_port(text, &listen, ":80");
}

#[test]
fn go_server_struct_without_addr_defaults_to_all_interfaces() {
    let text = "package main\nvar s = &http.Server{Handler: h}\n";
    let listen = one_listen(GO, text);
    assert_default(
        text,
        &listen,
        true,
        "package main\nvar s = &http.Server{Addr: \"127.0.0.1:80\", Handler: h}\n",
    );
}

#[test]
fn go_server_struct_of_another_package_is_not_a_listen() {
    let text =
        "package main\nvar o = &redis.Options{Addr: \"redis:6379\"}\nvar s = grpc.Server{Addr: \"x\"}\n";
    assert!(facts(GO, text).listens.is_empty());
}

#[test]
fn go_const_in_the_same_file_is_one_step_away() {
    let text =
        "package main\nconst addr = \"0.0.0.0:8080\"\nfunc main() { http.ListenAndServe(addr, nil) }\n";
    let listen = one_listen(GO, text);
    assert_host_port(text, &listen, "0.0.0.0:8080");
    assert_eq!(at(text, listen.span), "http.ListenAndServe(addr, nil)");
}

#[test]
fn go_short_var_and_grouped_const_resolve() {
    let text = "package main\nconst (\n\ta, b = \"x\", \"127.0.0.1:1\"\n)\nfunc main() {\n\tc := \":2\"\n\tnet.Listen(\"tcp\", b)\n\thttp.ListenAndServe(c, nil)\n}\n";
    let listens = facts(GO, text).listens;
    assert_host_port(text, &listens[0], "127.0.0.1:1");
    assert_host_port(text, &listens[1], ":2");
}

#[test]
fn go_name_bound_twice_is_unknown() {
    let text = "package main\nfunc main() {\n\taddr := \"0.0.0.0:1\"\n\taddr = os.Getenv(\"A\")\n\thttp.ListenAndServe(addr, nil)\n}\n";
    assert_unknown(&one_listen(GO, text));
}

#[test]
fn go_getenv_and_parameters_are_unknown() {
    let text = "package main\nfunc serve(addr string) {\n\thttp.ListenAndServe(os.Getenv(\"BIND_ADDRESS\"), nil)\n\thttp.ListenAndServe(addr, nil)\n}\n";
    let listens = facts(GO, text).listens;
    assert_eq!(listens.len(), 2);
    listens.iter().for_each(assert_unknown);
}

#[test]
fn go_concatenated_port_keeps_the_written_host() {
    let text = "package main\nfunc main() {\n\thttp.ListenAndServe(\":\" + os.Getenv(\"PORT\"), nil)\n\thttp.ListenAndServe(\"0.0.0.0:\"+port, nil)\n\thttp.ListenAndServe(fmt.Sprintf(\"127.0.0.1:%d\", p), nil)\n}\n";
    let listens = facts(GO, text).listens;
    assert_host(text, &listens[0], "");
    assert_host(text, &listens[1], "0.0.0.0");
    assert_host(text, &listens[2], "127.0.0.1");
    // The empty host sits right after the opening quote, so inserting there fixes it.
    let ListenAddress::Host { span, .. } = &listens[0].address else {
        unreachable!()
    };
    assert_eq!(&text[span.start() - 1..span.start() + 1], "\":");
}

#[test]
fn go_commented_out_listen_is_ignored() {
    let text = "package main\n// http.ListenAndServe(\":8080\", nil)\n/* net.Listen(\"tcp\", \":1\") */\n";
    assert!(facts(GO, text).listens.is_empty());
}

#[test]
fn go_strings_with_urls_or_consul_names_are_kept_with_content_spans() {
    let text = "package main\nvar a = \"http://billing:8080/x\"\nvar b = `backend.service.consul`\nvar c = \"plain\"\nvar d = \"0.0.0.0.example.com\"\n";
    assert_eq!(
        strings(GO, text),
        ["http://billing:8080/x", "backend.service.consul"]
    );
}

#[test]
fn go_string_value_is_decoded() {
    let text = "package main\nvar a = \"http://x/\\\"q\\\"\"\n";
    let facts = facts(GO, text);
    assert_eq!(facts.strings[0].value, "http://x/\"q\"");
    assert_eq!(at(text, facts.strings[0].span), "http://x/\\\"q\\\"");
}

#[test]
fn go_file_without_needles_is_not_parsed_and_has_no_facts() {
    assert_eq!(facts(GO, "package main\nfunc main() {}\n"), AppFacts::default());
}
