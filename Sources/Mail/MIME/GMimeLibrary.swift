import CGMime

/// GMime's one-time set-up, shared by everything in this module that calls GMime.
///
/// `g_mime_init` is not thread-safe: it counts its callers with a plain `initialized++` and then fills the type
/// registry, the charset map and the default options. The parser and the composer each called it from a `static let`
/// of their own, so `serve` (a mailbox poller parsing while the outbox composes) and the test run could call it twice
/// at once: one call filled the tables while the other already parsed or composed, or both filled them. A C program
/// doing just that on two threads crashed in 12 of 500 runs here (GObject: "cannot register existing type"). One
/// `static let` runs it once, and every other caller waits until it has finished.
enum GMimeLibrary {
    static let initialized: Bool = {
        g_mime_init()
        return true
    }()
}
