public import Foundation

#if canImport(Glibc)
import Glibc
#endif

/// A throwaway SMTP server for tests: Debian's aiosmtpd under `/usr/bin/python3`, on a free loopback port, keeping
/// every message it accepts as a file, so a test can count deliveries and parse them.
///
/// It can require STARTTLS or speak implicit TLS with a self-signed certificate for 127.0.0.1 (``certificate``),
/// require a login, and refuse the next commands with a 4xx or 5xx reply (``failNext(_:code:at:)``).
///
/// ```swift
/// let sink = try SMTPSink.start(tls: .startTLS, users: ["murojaat": "maxfiy"])
/// defer { sink.stop() }
/// try client.send(mail)
/// let received = try sink.messages()
/// ```
///
/// Thread safety: the only mutable state is whether the process still runs, read and changed under `lock`; the
/// rest is immutable, and the folder is written by the Python process and read through the file system.
public final class SMTPSink: @unchecked Sendable {
    public enum TLSMode: String, Sendable {
        case none
        /// Plain until STARTTLS, which it requires before AUTH or MAIL (RFC 3207).
        case startTLS = "starttls"
        /// TLS from the first byte (SMTPS, port 465 style).
        case implicitTLS = "implicit"
    }

    /// The SMTP command whose reply ``failNext(_:code:at:)`` replaces.
    public enum Stage: String, Sendable {
        case mail
        case rcpt
        /// The final reply after the message's bytes.
        case data
    }

    /// One accepted message, as the sink saw it.
    public struct Message: Sendable {
        /// MAIL FROM, without brackets; empty for `<>`.
        public var envelopeFrom: String
        /// The RCPT TO addresses in order.
        public var recipients: [String]
        /// The bytes after DATA, dot-unstuffed, exactly as received otherwise.
        public var raw: [UInt8]
        /// Whether the connection was encrypted (STARTTLS or implicit TLS) when the message came.
        public var tls: Bool
        /// The user that logged in, if any.
        public var user: String?
        /// The sink's number for the connection: messages sent over one connection share it.
        public var connection: Int
        /// The name the client gave in EHLO or HELO.
        public var heloName: String?
    }

    public struct Failure: Error, CustomStringConvertible {
        public var description: String
        public init(description: String) { self.description = description }
    }

    /// Debian's interpreter, which has python3-aiosmtpd; the `python3` on PATH may be another one without it.
    public static let python = "/usr/bin/python3"

    public let directory: URL
    public let port: Int
    public let tls: TLSMode
    /// The Python process, for tests that check it is gone after ``stop()``.
    public let processID: pid_t
    private let lock = NSLock()
    private var running = true

    /// `smtp://127.0.0.1:PORT` or, for implicit TLS, `smtps://127.0.0.1:PORT`.
    public var url: String { tls == .implicitTLS ? "smtps://127.0.0.1:\(port)" : "smtp://127.0.0.1:\(port)" }

    /// The self-signed certificate of a TLS sink, to trust as a CA file.
    public var certificate: URL { directory.appendingPathComponent("cert.pem") }

    /// Starts a sink and waits until it listens. With `users` (name: password), AUTH PLAIN or LOGIN is required
    /// before MAIL.
    public static func start(tls: TLSMode = .none, users: [String: String] = [:]) throws -> SMTPSink {
        guard FileManager.default.isExecutableFile(atPath: python) else {
            throw Failure(description: "\(python) is missing: apt-get install python3-aiosmtpd (make test does)")
        }
        let directory = try TestFolders.temporary("smtp-sink")
        let path = directory.path
        try FileManager.default.createDirectory(
            at: directory.appendingPathComponent("messages"), withIntermediateDirectories: true)
        if tls != .none {
            let status = try Dovecot.run(
                "/usr/bin/openssl",
                [
                    "req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes", "-days",
                    "2", "-subj", "/CN=127.0.0.1", "-addext", "subjectAltName=IP:127.0.0.1", "-keyout",
                    "\(path)/key.pem", "-out", "\(path)/cert.pem",
                ])
            guard status == 0 else { throw Failure(description: "openssl could not make a test certificate") }
        }
        let config: [String: Any] = [
            "folder": "\(path)/messages", "control": "\(path)/control.json", "ready": "\(path)/ready.json",
            "tls": tls.rawValue, "users": users, "certificate": "\(path)/cert.pem", "key": "\(path)/key.pem",
        ]
        try JSONSerialization.data(withJSONObject: config).write(to: directory.appendingPathComponent("config.json"))
        try Data(script.utf8).write(to: directory.appendingPathComponent("sink.py"))

        let pid = try spawn(
            python, ["-I", "\(path)/sink.py", "\(path)/config.json"], log: "\(path)/sink.log")
        let ready = directory.appendingPathComponent("ready.json")
        let deadline = Date().addingTimeInterval(20)
        while Date() < deadline {
            if let data = try? Data(contentsOf: ready),
                let object = try? JSONSerialization.jsonObject(with: data) as? [String: Any],
                let port = object["port"] as? Int
            {
                return SMTPSink(directory: directory, port: port, tls: tls, processID: pid)
            }
            var status: Int32 = 0
            if waitpid(pid, &status, WNOHANG) == pid {
                throw Failure(description: "the SMTP sink exited at start: \(logTail(directory))")
            }
            usleep(20_000)
        }
        kill(pid, SIGKILL)
        ChildProcess.wait(pid)
        throw Failure(description: "the SMTP sink did not listen within 20 s: \(logTail(directory))")
    }

    init(directory: URL, port: Int, tls: TLSMode, processID: pid_t) {
        self.directory = directory
        self.port = port
        self.tls = tls
        self.processID = processID
    }

    deinit {
        stop()
        try? FileManager.default.removeItem(at: directory)
    }

    /// Every message accepted so far, in the order they came.
    public func messages() throws -> [Message] {
        let folder = directory.appendingPathComponent("messages")
        // The sidecar is renamed into place after the message file, so a listed sidecar has its message.
        let names = try FileManager.default.contentsOfDirectory(atPath: folder.path)
            .filter { $0.hasSuffix(".json") }.sorted()
        return try names.map { name in
            let data = try Data(contentsOf: folder.appendingPathComponent(name))
            guard let object = try JSONSerialization.jsonObject(with: data) as? [String: Any] else {
                throw Failure(description: "the sink's sidecar \(name) is not a JSON object")
            }
            let raw = try Data(contentsOf: folder.appendingPathComponent(name.dropLast(5) + ".eml"))
            return Message(
                envelopeFrom: object["from"] as? String ?? "", recipients: object["recipients"] as? [String] ?? [],
                raw: Array(raw), tls: object["tls"] as? Bool ?? false, user: object["user"] as? String,
                connection: object["connection"] as? Int ?? 0, heloName: object["helo"] as? String)
        }
    }

    /// Makes the sink answer the next `count` commands of this stage with `code` (451: try later; 550: refused)
    /// instead of accepting them; after that it accepts again.
    public func failNext(_ count: Int = 1, code: Int = 451, at stage: Stage = .data) throws {
        let rule: [String: Any] = ["stage": stage.rawValue, "code": code, "count": count]
        try JSONSerialization.data(withJSONObject: rule)
            .write(to: directory.appendingPathComponent("control.json"), options: .atomic)
    }

    /// Whether the process has not been stopped (it may still have died on its own).
    public var isRunning: Bool { lock.withLock { running } }

    /// Stops the server and reaps the process; a second call does nothing.
    public func stop() {
        let wasRunning = lock.withLock {
            defer { running = false }
            return running
        }
        guard wasRunning else { return }
        kill(processID, SIGTERM)
        var status: Int32 = 0
        // The sink is this process's own child: reaping it here leaves no zombie. SIGKILL if SIGTERM is not
        // enough within 5 s.
        for _ in 0..<250 {
            let reaped = waitpid(processID, &status, WNOHANG)
            if reaped == processID || (reaped == -1 && errno == ECHILD) { return }
            usleep(20_000)
        }
        kill(processID, SIGKILL)
        ChildProcess.wait(processID)
    }

    public func logTail() -> String { Self.logTail(directory) }

    static func logTail(_ directory: URL) -> String {
        let log = (try? String(contentsOf: directory.appendingPathComponent("sink.log"), encoding: .utf8)) ?? ""
        return log.split(separator: "\n").suffix(8).joined(separator: " | ")
    }

    /// Starts a program without waiting for it, stdin from /dev/null and stdout and stderr into `log`, with every
    /// signal unblocked and at its default action: the test runner's threads block signals and a child inherits
    /// the mask, and a Python that ignored SIGTERM would outlive ``stop()``.
    static func spawn(_ executable: String, _ arguments: [String], log: String) throws -> pid_t {
        // A small, fixed environment: the test runner's may point Python at another installation (pyenv).
        try ChildProcess.spawn(
            executable, arguments, log: log,
            environment: ["PATH=/usr/bin:/bin", "LANG=C.UTF-8", "PYTHONDONTWRITEBYTECODE=1"])
    }

    /// The sink itself. Facts about aiosmtpd 1.4 it relies on:
    /// - aiosmtpd knows TLS only through STARTTLS: on an implicit-TLS listener it still counts the connection as
    ///   plain, so `auth_require_tls` must be off there or it answers AUTH with 538 and does not announce AUTH.
    /// - Handler hooks that return a reply instead of "250" refuse the command; MAIL and RCPT hooks must record the
    ///   address in the envelope themselves.
    /// - `hostname` is given: without it aiosmtpd calls socket.getfqdn(), a DNS lookup that can stall the start.
    /// - Lines over 1001 octets (998 + CRLF + a stuffed dot) are answered "500 Line too long".
    static let script = #"""
        import asyncio, itertools, json, logging, os, ssl, sys, warnings

        # posix_spawn passes every descriptor without close-on-exec: do not keep the test runner's sockets open.
        os.closerange(3, 1024)
        warnings.simplefilter("ignore")
        logging.basicConfig(level=logging.WARNING)

        from aiosmtpd.smtp import SMTP, AuthResult, LoginPassword

        with open(sys.argv[1]) as file:
            config = json.load(file)
        mode = config["tls"]
        users = config["users"]
        messages = itertools.count(1)
        connections = itertools.count(1)


        def write(path, data):
            with open(path + ".tmp", "wb") as file:
                file.write(data)
            os.replace(path + ".tmp", path)


        def refusal(stage):
            try:
                with open(config["control"]) as file:
                    rule = json.load(file)
            except (FileNotFoundError, ValueError):
                return None
            if rule.get("stage") != stage or rule.get("count", 0) <= 0:
                return None
            rule["count"] -= 1
            write(config["control"], json.dumps(rule).encode())
            code = int(rule["code"])
            return f"{code} 4.3.0 Try again later (sink)" if code < 500 else f"{code} 5.7.1 Refused (sink)"


        def connection(session):
            if not hasattr(session, "murojaat_connection"):
                session.murojaat_connection = next(connections)
            return session.murojaat_connection


        class Handler:
            async def handle_MAIL(self, server, session, envelope, address, mail_options):
                connection(session)
                refused = refusal("mail")
                if refused:
                    return refused
                envelope.mail_from = address
                envelope.mail_options.extend(mail_options)
                return "250 OK"

            async def handle_RCPT(self, server, session, envelope, address, rcpt_options):
                refused = refusal("rcpt")
                if refused:
                    return refused
                envelope.rcpt_tos.append(address)
                envelope.rcpt_options.extend(rcpt_options)
                return "250 OK"

            async def handle_DATA(self, server, session, envelope):
                refused = refusal("data")
                if refused:
                    return refused
                base = os.path.join(config["folder"], "%06d" % next(messages))
                write(base + ".eml", envelope.original_content)
                sidecar = {
                    "from": "" if envelope.mail_from == "<>" else envelope.mail_from,
                    "recipients": envelope.rcpt_tos,
                    "tls": server.transport.get_extra_info("ssl_object") is not None,
                    "user": session.auth_data if session.authenticated else None,
                    "connection": connection(session),
                    "helo": session.host_name,
                }
                write(base + ".json", json.dumps(sidecar).encode())
                return "250 2.0.0 Accepted"


        def authenticator(server, session, envelope, mechanism, auth_data):
            if isinstance(auth_data, LoginPassword):
                login = auth_data.login.decode("utf-8", "replace")
                if users.get(login) == auth_data.password.decode("utf-8", "replace"):
                    return AuthResult(success=True, auth_data=login)
            return AuthResult(success=False, handled=False)


        context = None
        if mode != "none":
            context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
            context.load_cert_chain(config["certificate"], config["key"])


        def factory():
            options = {"hostname": "sink.murojaat.test", "ident": "Murojaat test sink"}
            if mode == "starttls":
                options.update(tls_context=context, require_starttls=True)
            if users:
                options.update(authenticator=authenticator, auth_required=True, auth_require_tls=(mode == "starttls"))
            return SMTP(Handler(), **options)


        async def main():
            loop = asyncio.get_running_loop()
            server = await loop.create_server(
                factory, host="127.0.0.1", port=0, ssl=context if mode == "implicit" else None)
            parent = os.getppid()
            write(config["ready"], json.dumps({"port": server.sockets[0].getsockname()[1]}).encode())
            # Should the test runner die without stop(), the sink follows it rather than linger.
            while os.getppid() == parent:
                await asyncio.sleep(0.5)
            server.close()


        asyncio.run(main())
        """#
}
