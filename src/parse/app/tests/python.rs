use super::*;

const PY: SourceKind = SourceKind::Python;

#[test]
fn flask_run_host_literal_is_host() {
    let text = "app = Flask(__name__)\napp.run(host=\"0.0.0.0\", port=5000)\n";
    let listen = one_listen(PY, text);
    assert_eq!(listen.api, "app.run(host=…)");
    assert_eq!(at(text, listen.span), "app.run(host=\"0.0.0.0\", port=5000)");
    assert_host(text, &listen, "0.0.0.0");
}

#[test]
fn flask_run_without_host_is_flasks_loopback_default() {
    let text = "from flask import Flask\napp = Flask(__name__)\napp.run(debug=True)\napp.run()\n";
    let listens = facts(PY, text).listens;
    assert_eq!(listens.len(), 2);
    assert_default(
        text,
        &listens[0],
        false,
        "from flask import Flask\napp = Flask(__name__)\napp.run(debug=True, host=\"127.0.0.1\")\napp.run()\n",
    );
    assert_default(
        text,
        &listens[1],
        false,
        "from flask import Flask\napp = Flask(__name__)\napp.run(debug=True)\napp.run(host=\"127.0.0.1\")\n",
    );
}

#[test]
fn flask_application_factory_app_run_is_a_listen() {
    let text =
        "from flask import Flask\nfrom myapp import create_app\napp = create_app()\napp.run(port=80)\n";
    let listen = one_listen(PY, text);
    assert!(matches!(
        listen.address,
        ListenAddress::Default {
            all_interfaces: false,
            ..
        }
    ));
}

#[test]
fn run_without_host_on_an_unknown_object_is_not_a_listen() {
    let text = "subprocess.run([\"ls\"])\nasyncio.run(main())\nloop.run()\n";
    assert!(facts(PY, text).listens.is_empty());
}

#[test]
fn uvicorn_run_host_and_default() {
    let text = "uvicorn.run(app, host=\"::\", port=8000)\nuvicorn.run(\"main:app\",)\n";
    let listens = facts(PY, text).listens;
    assert_eq!(listens[0].api, "uvicorn.run(host=…)");
    assert_host(text, &listens[0], "::");
    assert_default(
        text,
        &listens[1],
        false,
        "uvicorn.run(app, host=\"::\", port=8000)\nuvicorn.run(\"main:app\", host=\"127.0.0.1\",)\n",
    );
}

#[test]
fn aiohttp_run_app_defaults_to_all_interfaces() {
    let text = "web.run_app(app, port=8080)\n";
    let listen = one_listen(PY, text);
    assert_eq!(listen.api, "web.run_app(host=…)");
    assert_default(
        text,
        &listen,
        true,
        "web.run_app(app, port=8080, host=\"127.0.0.1\")\n",
    );
}

#[test]
fn module_constant_and_parameter_default_are_one_step_away() {
    let text = "HOST = '0.0.0.0'\ndef main(port, bind_host=\"127.0.0.1\"):\n    app.run(host=HOST)\n    uvicorn.run(app, host=bind_host)\n";
    let listens = facts(PY, text).listens;
    assert_host(text, &listens[0], "0.0.0.0");
    assert_host(text, &listens[1], "127.0.0.1");
}

#[test]
fn environment_host_is_its_fallback_marked_with_the_variable() {
    let text = "app.run(host=os.environ.get(\"HOST\", \"0.0.0.0\"))\n";
    match &one_listen(PY, text).address {
        ListenAddress::EnvFallback { variable, fallback } => {
            assert_eq!(variable, "HOST");
            assert!(matches!(**fallback, ListenAddress::Host { ref text, .. } if text == "0.0.0.0"));
        }
        other => panic!("expected an environment fallback, got {other:?}"),
    }
    // Without a literal fallback the host stays unknown.
    assert_unknown(&one_listen(PY, "app.run(host=os.environ[\"HOST\"])\n"));
    assert_unknown(&one_listen(PY, "app.run(host=os.getenv(\"HOST\"))\n"));
}

#[test]
fn socket_bind_tuple_empty_host_and_zeromq() {
    let text = "s.bind((\"0.0.0.0\", 80))\nsock.bind(('', 8080))\nzsock.bind(\"tcp://*:5555\")\nsock.bind(addr)\nq.bind(user_id)\n";
    let listens = facts(PY, text).listens;
    assert_eq!(listens.len(), 4);
    assert_eq!(listens[0].api, "s.bind");
    assert_host(text, &listens[0], "0.0.0.0");
    assert_host(text, &listens[1], "");
    assert_eq!(at(text, listens[1].span), "sock.bind(('', 8080))");
    assert_host_port(text, &listens[2], "tcp://*:5555");
    assert_unknown(&listens[3]);
}

#[test]
fn socket_bind_address_constant() {
    let text = "ADDRESS = (\"0.0.0.0\", 9000)\nserver.bind(ADDRESS)\n";
    assert_host(text, &one_listen(PY, text), "0.0.0.0");
}

#[test]
fn install_guide_django_runserver_in_subprocess_both_ways() {
    for host in ["127.0.0.1", "0.0.0.0"] {
        let text = format!("subprocess.run([\"python\", \"manage.py\", \"runserver\", \"{host}:8080\"])\n");
        let listen = one_listen(PY, &text);
        assert_eq!(listen.api, "manage.py runserver");
        assert_host_port(&text, &listen, &format!("{host}:8080"));
        let text = format!("os.system('python manage.py runserver \"{host}:8080\"')\n");
        assert_host_port(&text, &one_listen(PY, &text), &format!("{host}:8080"));
    }
}

#[test]
fn runserver_list_without_address_inserts_a_list_element() {
    let text = "subprocess.call(['./manage.py', 'runserver'])\n";
    let listen = one_listen(PY, text);
    assert_default(
        text,
        &listen,
        false,
        "subprocess.call(['./manage.py', 'runserver', \"127.0.0.1:8000\"])\n",
    );
}

#[test]
fn runserver_with_a_computed_address_is_unknown() {
    let text = "subprocess.run([\"python\", \"manage.py\", \"runserver\", addr])\nos.system(f\"python manage.py runserver {addr}\")\n";
    let listens = facts(PY, text).listens;
    assert_eq!(listens.len(), 2);
    listens.iter().for_each(assert_unknown);
}

#[test]
fn gunicorn_config_bind_string_and_list() {
    let text = "import os\nbind = \"0.0.0.0:8000\"\nworkers = 2\n";
    let listen = one_listen(SourceKind::GunicornConfig, text);
    assert_eq!(listen.api, "gunicorn bind");
    assert_eq!(at(text, listen.span), "bind = \"0.0.0.0:8000\"");
    assert_host_port(text, &listen, "0.0.0.0:8000");
    let text = "bind = [\"127.0.0.1:8000\", 'unix:/tmp/g.sock', os.environ[\"B\"]]\n";
    let listens = facts(SourceKind::GunicornConfig, text).listens;
    assert_eq!(listens.len(), 3);
    assert_host_port(text, &listens[0], "127.0.0.1:8000");
    assert_host_port(text, &listens[1], "unix:/tmp/g.sock");
    assert_unknown(&listens[2]);
}

#[test]
fn bind_setting_in_an_ordinary_module_is_not_gunicorns() {
    assert!(facts(PY, "bind = \"0.0.0.0:8000\"\n").listens.is_empty());
}

#[test]
fn gunicorn_config_file_names() {
    use std::path::Path;
    for name in [
        "gunicorn.conf.py",
        "gunicorn_config.py",
        "app_gunicorn_conf.py",
        "gunicorn.py",
    ] {
        assert_eq!(
            super::super::classify(Path::new(name)),
            Some(SourceKind::GunicornConfig),
            "{name}"
        );
    }
    assert_eq!(super::super::classify(Path::new("app.py")), Some(PY));
}

#[test]
fn commented_out_run_is_ignored() {
    assert!(facts(PY, "# app.run(host=\"0.0.0.0\")\n").listens.is_empty());
}

#[test]
fn python_strings_keep_fstring_parts_as_written() {
    let text = "a = f\"http://{host}:{port}/x\"\nb = r'billing.service.consul'\nc = '''http://x\n'''\nd = \"0.0.0.0.example.com\"\n";
    assert_eq!(
        strings(PY, text),
        ["http://{host}:{port}/x", "billing.service.consul", "http://x\n"]
    );
}

#[test]
fn grpc_add_insecure_port_canonical_example_is_host_and_port() {
    let text = "server = grpc.server(futures.ThreadPoolExecutor(max_workers=10))\nserver.add_insecure_port(\"[::]:50051\")\nserver.add_secure_port('0.0.0.0:50052', creds)\n";
    let listens = facts(PY, text).listens;
    assert_eq!(listens.len(), 2);
    assert_eq!(listens[0].api, "server.add_insecure_port");
    assert_eq!(
        at(text, listens[0].span),
        "server.add_insecure_port(\"[::]:50051\")"
    );
    assert_host_port(text, &listens[0], "[::]:50051");
    assert_eq!(listens[1].api, "server.add_secure_port");
    assert_host_port(text, &listens[1], "0.0.0.0:50052");
}

#[test]
fn grpc_add_insecure_port_on_loopback_is_read_as_written() {
    let text = "server.add_insecure_port(\"localhost:50051\")\nserver.add_insecure_port(\"127.0.0.1:50051\")\nserver.add_insecure_port(address=\"[::1]:50051\")\n";
    let listens = facts(PY, text).listens;
    assert_eq!(listens.len(), 3);
    assert_host_port(text, &listens[0], "localhost:50051");
    assert_host_port(text, &listens[1], "127.0.0.1:50051");
    assert_host_port(text, &listens[2], "[::1]:50051");
}

#[test]
fn grpc_aio_address_constant_one_step_away() {
    let text = "async def serve():\n    server = grpc.aio.server()\n    listen_addr = \"[::]:50051\"\n    server.add_insecure_port(listen_addr)\n    await server.start()\n";
    assert_host_port(text, &one_listen(PY, text), "[::]:50051");
}

#[test]
fn grpc_address_with_a_written_host_and_a_computed_port_is_that_host() {
    let text = "server.add_insecure_port(f\"[::]:{port}\")\nserver.add_insecure_port(\"[::]:\" + port)\nserver.add_insecure_port(\"0.0.0.0:%d\" % port)\nserver.add_insecure_port(\"127.0.0.1:{}\".format(port))\n";
    let listens = facts(PY, text).listens;
    assert_eq!(listens.len(), 4);
    assert_host(text, &listens[0], "[::]");
    assert_host(text, &listens[1], "[::]");
    assert_host(text, &listens[2], "0.0.0.0");
    assert_host(text, &listens[3], "127.0.0.1");
}

#[test]
fn grpc_address_with_a_computed_host_is_unknown() {
    let text = "server.add_insecure_port(f\"{host}:{port}\")\nserver.add_insecure_port(os.environ[\"ADDR\"])\nserver.add_insecure_port(address)\nserver.add_insecure_port(\"[\\x3a:]:\" + p)\n";
    let listens = facts(PY, text).listens;
    assert_eq!(listens.len(), 4);
    listens.iter().for_each(assert_unknown);
}

#[test]
fn add_insecure_port_as_a_plain_function_is_not_a_listen() {
    assert!(facts(PY, "add_insecure_port(\"[::]:50051\")\n")
        .listens
        .is_empty());
}
