// The pages' templates. Mustache escapes every {{value}}; the one unescaped {{{ }}} is the department lists, made and
// escaped by PageKit from org.yaml alone, so text from an appeal (an e-mail body, a subject, a name) can never
// become markup. The queue pages' content is rendered here too, with the same escaping, before QueueRowsCache keeps
// it. Kept in the binary, so a deployment is one file plus Rules/.
enum Templates {
    static let all: [String: String] = [
        "top": top, "bottom": bottom, "layout": layout, "login": login, "triage": triage, "queue": queue,
        "appeal": appeal, "message": message,
        "control": control, "rules": rules, "search": search, "quarantine": quarantine,
        "quarantine_record": quarantineRecord, "account": account, "staff": staff, "staff_member": staffMember,
    ]

    /// Everything of a page before its content: the head, the header with the signed-in person, and a flash.
    static let top = """
        <!doctype html>
        <html lang="{{language}}">
        <head>
        <meta charset="utf-8">
        <meta name="viewport" content="width=device-width, initial-scale=1">
        <title>{{title}} · {{t.app}}</title>
        <link rel="stylesheet" href="/static/app.css">
        <script src="/static/app.js" defer></script>
        </head>
        <body data-page="{{page}}">
        <header>
        <a class="brand" href="/">{{t.app}}</a>
        {{#staff}}
        <nav>
        {{#mayTriage}}<a href="/triage">{{t.triage}}</a>{{/mayTriage}}
        <a href="/queue">{{t.queue}}</a>
        {{#mayControl}}<a href="/control">{{t.control}}</a>{{/mayControl}}
        {{#mayQuarantine}}<a href="/quarantine">{{t.quarantine}}</a>{{/mayQuarantine}}
        <a href="/rules">{{t.rules}}</a>
        {{#mayManageStaff}}<a href="/staff">{{t.staff}}</a>{{/mayManageStaff}}
        </nav>
        <form method="get" action="/search" class="inline search" role="search">
        <input type="search" name="q" placeholder="{{t.search_hint}}" aria-label="{{t.search}}" value="{{q}}">
        </form>
        <a class="who" href="/account" title="{{t.my_account}}">{{name}} · {{roleName}}</a>
        <form method="post" action="/language" class="inline language"><input type="hidden" name="csrf" value="{{csrf}}">
        <select name="language" aria-label="{{t.language}}">{{#languages}}<option value="{{code}}"{{#selected}} selected{{/selected}}>{{name}}</option>{{/languages}}</select>
        <button type="submit">{{t.language}}</button></form>
        <form method="post" action="/logout" class="inline"><input type="hidden" name="csrf" value="{{csrf}}">
        <button type="submit">{{t.sign_out}}</button></form>
        {{/staff}}
        </header>
        <main>
        {{#flash}}<p class="flash {{kind}}" role="status">{{text}}</p>{{/flash}}
        """

    static let bottom = """

        </main>
        </body>
        </html>
        """

    static let layout = """
        {{>top}}
        {{$content}}{{/content}}
        {{>bottom}}
        """

    static let login = """
        {{<layout}}{{$content}}
        <h1>{{t.sign_in}}</h1>
        <form method="post" action="/login" class="login">
        <label>{{t.login}} <input name="login" autocomplete="username" required autofocus value="{{login}}"></label>
        <label>{{t.password}} <input name="password" type="password" autocomplete="current-password" required></label>
        <input type="hidden" name="next" value="{{next}}">
        <button type="submit">{{t.sign_in}}</button>
        </form>
        {{/content}}{{/layout}}
        """

    static let message = """
        {{<layout}}{{$content}}
        <h1>{{title}}</h1>
        <p>{{text}}</p>
        <p><a href="/">{{t.app}}</a></p>
        {{/content}}{{/layout}}
        """

    /// The triage page's content, kept whole by QueueRowsCache and put between ``top`` and ``bottom``.
    static let triage = """
        <h1>{{t.triage}} {{#paging}}<small>{{first}}–{{last}}</small>{{/paging}}</h1>
        <p class="help">{{t.keys_help}}</p>
        <p id="live" class="live" role="status" hidden data-stream="/events?topic=triage"><a href="/triage">{{t.new_appeals}}: <span class="count">0</span></a></p>
        {{^hasRows}}<p>{{t.nothing}}</p>{{/hasRows}}
        {{#hasRows}}
        <table class="queue" id="queue">
        <thead><tr><th>{{t.tracking}}</th><th>{{t.received}}</th><th>{{t.channel}}</th><th>{{t.text}}</th>
        <th>{{t.suggested}}</th><th>{{t.assign}}</th></tr></thead>
        <tbody>
        {{#rows}}
        <tr class="row sla-{{slaClass}}" data-href="/appeals/{{tracking}}">
        <td><input type="checkbox" name="pick[]" value="{{tracking}}" form="bulk" aria-label="{{t.pick}}"> <a href="/appeals/{{tracking}}">{{tracking}}</a>{{#urgent}} <span class="badge urgent">{{t.urgent}}</span>{{/urgent}}</td>
        <td>{{received}}</td><td>{{channel}}</td><td class="excerpt">{{excerpt}}</td>
        <td>{{#candidates}}<span class="candidate">{{name}} ({{score}})</span> {{/candidates}}<div class="why">{{reason}}</div></td>
        <td><form method="post" action="/appeals/{{tracking}}/assign" class="assign">
        <input type="hidden" name="csrf" value="{{csrf}}">
        <select name="department" aria-label="{{t.department}}">{{{optionList}}}</select>
        <button type="submit">{{t.assign}}</button></form></td>
        </tr>
        {{/rows}}
        </tbody></table>
        <form method="post" action="/triage/assign" id="bulk" class="action bulk">
        <input type="hidden" name="csrf" value="{{csrf}}">
        <label>{{t.bulk_assign}} <select name="department">{{{bulkOptions}}}</select></label>
        <button type="submit">{{t.assign}}</button></form>
        {{#paging}}<p class="pager">{{#previous}}<a href="{{previous}}" rel="prev">← {{t.previous}}</a> {{/previous}}{{#next}}<a href="{{next}}" rel="next">{{t.next}} →</a>{{/next}}</p>{{/paging}}
        {{/hasRows}}
        """

    /// The department queue's content, kept as the triage page's is.
    static let queue = """
        <h1>{{t.queue}}: {{departmentName}} {{#paging}}<small>{{first}}–{{last}}</small>{{/paging}}</h1>
        {{#mayBrowse}}
        <form method="get" action="/queue" class="inline">
        <select name="department" aria-label="{{t.department}}">{{#options}}<option value="{{code}}"{{#selected}} selected{{/selected}}>{{name}}</option>{{/options}}</select>
        <button type="submit">OK</button></form>
        {{/mayBrowse}}
        {{^hasRows}}<p>{{t.nothing}}</p>{{/hasRows}}
        {{#hasRows}}
        <table class="queue" id="queue">
        <thead><tr><th>{{t.tracking}}</th><th>{{t.due}}</th><th>{{t.sla}}</th><th>{{t.status}}</th>
        <th>{{t.kind}}</th><th>{{t.department}}</th><th>{{t.received}}</th><th>{{t.text}}</th></tr></thead>
        <tbody>
        {{#rows}}
        <tr class="row sla-{{slaClass}}" data-href="/appeals/{{tracking}}">
        <td><a href="/appeals/{{tracking}}">{{tracking}}</a>{{#urgent}} <span class="badge urgent">{{t.urgent}}</span>{{/urgent}}</td>
        <td>{{due}}</td><td>{{sla}}</td><td>{{status}}</td><td>{{kind}}</td><td>{{department}}</td>
        <td>{{received}}</td><td class="excerpt">{{excerpt}}</td>
        </tr>
        {{/rows}}
        </tbody></table>
        {{#paging}}<p class="pager">{{#previous}}<a href="{{previous}}" rel="prev">← {{t.previous}}</a> {{/previous}}{{#next}}<a href="{{next}}" rel="next">{{t.next}} →</a>{{/next}}</p>{{/paging}}
        {{/hasRows}}
        """

    static let appeal = """
        {{<layout}}{{$content}}
        {{#appeal}}
        <h1>{{tracking}} <span class="badge sla-{{slaClass}}">{{sla}}</span>{{#urgent}} <span class="badge urgent">{{t.urgent}}</span>{{/urgent}}</h1>
        <dl class="facts">
        <dt>{{t.status}}</dt><dd>{{status}}</dd>
        <dt>{{t.kind}}</dt><dd>{{kind}}</dd>
        <dt>{{t.department}}</dt><dd>{{department}}{{#coExecutors}} + {{coExecutors}}{{/coExecutors}}</dd>
        <dt>{{t.due}}</dt><dd>{{due}}</dd>
        <dt>{{t.received}}</dt><dd>{{received}} ({{channel}})</dd>
        <dt>{{t.applicant}}</dt><dd>{{applicant}}</dd>
        </dl>
        {{#subject}}<h2>{{t.subject}}</h2><p>{{subject}}</p>{{/subject}}
        <h2>{{t.text}}</h2>
        <pre class="text">{{text}}</pre>
        {{/appeal}}
        {{#hasExtra}}
        <h2>{{t.other_fields}}</h2>
        <dl class="facts extra">{{#extra}}<dt>{{label}}</dt><dd>{{value}}</dd>{{/extra}}</dl>
        {{/hasExtra}}
        {{#hasDocuments}}
        <h2>{{t.documents}}</h2>
        <ul class="documents">{{#documents}}<li>{{#kept}}<a href="/appeals/{{appeal.tracking}}/documents/{{sha256}}" download>{{name}}</a>{{/kept}}{{^kept}}{{name}}{{/kept}} <small>{{role}} · {{contentType}} · {{size}}{{#note}} · {{note}}{{/note}}</small></li>{{/documents}}</ul>
        {{/hasDocuments}}
        {{#hasOthers}}
        <h2>{{t.other_appeals}}</h2>
        <table class="queue others"><tbody>{{#others}}<tr><td><a href="/appeals/{{tracking}}">{{tracking}}</a></td><td>{{received}}</td><td>{{status}}</td><td>{{department}}</td><td class="excerpt">{{excerpt}}</td></tr>{{/others}}</tbody></table>
        {{/hasOthers}}
        {{#hasActions}}<h2>{{t.actions}}</h2>{{/hasActions}}
        {{#mayAssign}}
        <form method="post" action="/appeals/{{appeal.tracking}}/assign" class="action assign">
        <input type="hidden" name="csrf" value="{{csrf}}">
        <label>{{t.assign}} <select name="department">{{{optionList}}}</select></label>
        <button type="submit">{{t.save}}</button></form>
        {{/mayAssign}}
        {{#mayStart}}
        <form method="post" action="/appeals/{{appeal.tracking}}/start" class="action">
        <input type="hidden" name="csrf" value="{{csrf}}"><button type="submit">{{t.start}}</button></form>
        {{/mayStart}}
        {{#mayAnswer}}
        <form method="post" action="/appeals/{{appeal.tracking}}/answer" class="action answer">
        <input type="hidden" name="csrf" value="{{csrf}}">
        <label>{{t.answer_text}}<textarea name="text" rows="5" required></textarea></label>
        <label><input type="checkbox" name="close" value="1"> {{t.close_after}}</label>
        <label><input type="checkbox" name="interim" value="1"> {{t.interim}}</label>
        <button type="submit">{{t.answer}}</button></form>
        {{/mayAnswer}}
        {{#mayExtend}}
        <form method="post" action="/appeals/{{appeal.tracking}}/extend" class="action">
        <input type="hidden" name="csrf" value="{{csrf}}">
        <label>{{t.reason}} <input name="reason" required></label>
        <button type="submit">{{t.extend}}</button></form>
        {{/mayExtend}}
        {{#mayClose}}
        <form method="post" action="/appeals/{{appeal.tracking}}/close" class="action">
        <input type="hidden" name="csrf" value="{{csrf}}"><button type="submit">{{t.close}}</button></form>
        {{/mayClose}}
        {{#mayNeedsStudy}}
        <form method="post" action="/appeals/{{appeal.tracking}}/needs-study" class="action">
        <input type="hidden" name="csrf" value="{{csrf}}">
        <label>{{t.reason}} <input name="reason" required></label>
        <button type="submit">{{t.needs_study}}</button></form>
        {{/mayNeedsStudy}}
        {{#mayForward}}
        <form method="post" action="/appeals/{{appeal.tracking}}/forward" class="action">
        <input type="hidden" name="csrf" value="{{csrf}}">
        <label>{{t.forward_body}} <input name="body" required></label>
        <label>{{t.reason}} <input name="reason" required></label>
        <button type="submit">{{t.forward}}</button></form>
        {{/mayForward}}
        {{#mayJoin}}
        <form method="post" action="/appeals/{{appeal.tracking}}/join" class="action">
        <input type="hidden" name="csrf" value="{{csrf}}">
        <label>{{t.duplicate_of}} <input name="other" required pattern="[A-Za-z0-9-]{8,12}" placeholder="K7P4-9QXM"></label>
        <label>{{t.why}} <input name="reason"></label>
        <button type="submit">{{t.join_duplicate}}</button></form>
        {{/mayJoin}}
        {{#mayLink}}
        <form method="post" action="/appeals/{{appeal.tracking}}/link" class="action">
        <input type="hidden" name="csrf" value="{{csrf}}">
        <label>{{t.link_with}} <input name="other" required pattern="[A-Za-z0-9-]{8,12}" placeholder="K7P4-9QXM"></label>
        <label>{{t.why}} <input name="reason"></label>
        <button type="submit">{{t.link}}</button></form>
        {{/mayLink}}
        {{#mayMarkAnonymous}}
        <form method="post" action="/appeals/{{appeal.tracking}}/anonymous" class="action">
        <input type="hidden" name="csrf" value="{{csrf}}"><button type="submit">{{t.mark_anonymous}}</button></form>
        {{/mayMarkAnonymous}}
        {{#mayLeave}}
        <form method="post" action="/appeals/{{appeal.tracking}}/leave" class="action">
        <input type="hidden" name="csrf" value="{{csrf}}">
        <label>{{t.ground}} <select name="ground"><option value="anonymous">{{t.ground_anonymous}}</option><option value="false-data">{{t.ground_false}}</option><option value="no-authority">{{t.ground_authority}}</option></select></label>
        <label>{{t.conclusion}}<textarea name="reason" rows="3" required></textarea></label>
        <button type="submit">{{t.leave}}</button></form>
        {{/mayLeave}}
        {{#mayReopen}}
        <form method="post" action="/appeals/{{appeal.tracking}}/reopen" class="action">
        <input type="hidden" name="csrf" value="{{csrf}}">
        <label>{{t.reason}} <input name="reason" required></label>
        <button type="submit">{{t.reopen}}</button></form>
        {{/mayReopen}}
        {{#routing}}
        <h2>{{t.routing}}</h2>
        <p>{{reason}}</p>
        <ul class="rules">{{#rules}}<li><code>{{id}}</code> → {{department}}: {{#words}}<mark title="{{title}}">{{text}}</mark> {{/words}}</li>{{/rules}}</ul>
        {{/routing}}
        <h2>{{t.history}}</h2>
        <table class="history"><thead><tr><th>{{t.when}}</th><th>{{t.actor}}</th><th>{{t.what}}</th><th>{{t.why}}</th></tr></thead>
        <tbody>{{#history}}<tr><td>{{at}}</td><td>{{actor}}</td><td>{{kind}}{{#status}} → {{status}}{{/status}}{{#other}} <a href="/appeals/{{other}}">{{other}}</a>{{/other}}</td><td>{{why}}</td></tr>{{/history}}</tbody></table>
        {{/content}}{{/layout}}
        """

    static let control = """
        {{<layout}}{{$content}}
        <h1>{{t.control}} <small>{{dateDotted}}</small></h1>
        <section class="report">
        <h2>{{t.daily_report}}</h2>
        <form method="get" action="/reports/daily" id="report-form" class="inline">
        <label>{{t.date}} <input type="date" name="date" value="{{date}}" required></label>
        <select name="format" aria-label="{{t.format}}"><option value="html">HTML</option><option value="xlsx">XLSX</option><option value="csv">CSV</option></select>
        <button type="submit">{{t.open}}</button></form>
        <p><a id="report-html" href="/reports/daily?date={{date}}&amp;format=html">HTML</a> ·
        <a id="report-xlsx" href="/reports/daily?date={{date}}&amp;format=xlsx" download>XLSX</a> ·
        <a id="report-csv" href="/reports/daily?date={{date}}&amp;format=csv" download>CSV</a></p>
        </section>
        <h2>{{t.overdue_by_department}} <small>{{t.count}}: {{totalOverdue}}</small></h2>
        <table class="figures" id="departments">
        <thead><tr><th>{{t.department}}</th><th>{{t.overdue}}</th><th></th><th>Δ</th><th>{{t.open_count}}</th><th>{{t.due_soon}}</th>
        <th>{{t.due_today}}</th><th>{{t.extended}}</th><th>{{t.answered_yesterday}}</th><th>{{t.answered_late}}</th></tr></thead>
        <tbody>
        {{#departments}}
        <tr><td><a href="{{queue}}">{{code}}</a> {{name}}</td><td class="num">{{overdue}}</td>
        <td><meter min="0" max="{{max}}" value="{{overdue}}" optimum="0" low="0" high="0">{{overdue}}</meter></td><td class="num">{{change}}</td>
        <td class="num">{{open}}</td><td class="num">{{dueSoon}}</td><td class="num">{{dueToday}}</td>
        <td class="num">{{extended}}</td><td class="num">{{answered}}</td><td class="num">{{answeredLate}}</td></tr>
        {{/departments}}
        </tbody></table>
        <h2>{{t.escalations_today}}</h2>
        {{^hasEscalations}}<p>{{t.nothing}}</p>{{/hasEscalations}}
        {{#hasEscalations}}
        <table class="history" id="escalations"><thead><tr><th>{{t.when}}</th><th>{{t.tracking}}</th><th>{{t.step}}</th><th>{{t.why}}</th></tr></thead>
        <tbody>{{#escalations}}<tr><td>{{at}}</td><td><a href="/appeals/{{tracking}}">{{tracking}}</a></td><td>{{level}} · {{step}}</td><td>{{why}}</td></tr>{{/escalations}}</tbody></table>
        {{/hasEscalations}}
        <h2>{{t.intake}}</h2>
        <table class="figures"><tbody>{{#intake}}<tr><td>{{channel}}</td><td class="num">{{count}}</td></tr>{{/intake}}</tbody></table>
        {{/content}}{{/layout}}
        """

    static let rules = """
        {{<layout}}{{$content}}
        <h1>{{t.rules}}</h1>
        <form method="post" action="/rules" class="rules-try">
        <input type="hidden" name="csrf" value="{{csrf}}">
        <label>{{t.text}}<textarea name="text" rows="6" required>{{text}}</textarea></label>
        <label>{{t.channel}} <select name="channel"><option value=""></option>{{#channels}}<option value="{{code}}">{{name}}</option>{{/channels}}</select></label>
        <label>{{t.region}} <input name="region"></label>
        <label>{{t.country}} <input name="country"></label>
        <button type="submit">{{t.decide}}</button></form>
        {{#decision}}
        <section id="decision">
        <h2>{{verdict}}</h2>
        <p>{{reason}}</p>
        <dl class="facts">
        <dt>{{t.kind}}</dt><dd>{{kind}}</dd><dt>{{t.policy}}</dt><dd>{{policy}}</dd>
        <dt>{{t.language}}</dt><dd>{{language}}</dd><dt>{{t.confidence}}</dt><dd>{{confidence}}</dd>
        {{#coExecutors}}<dt>{{t.co_executors}}</dt><dd>{{coExecutors}}</dd>{{/coExecutors}}
        {{#tags}}<dt>{{t.tags}}</dt><dd>{{tags}}</dd>{{/tags}}
        {{#urgent}}<dt>{{t.urgent}}</dt><dd>✓</dd>{{/urgent}}
        </dl>
        <p>{{#candidates}}<span class="candidate">{{name}} ({{score}})</span> {{/candidates}}</p>
        <ul class="rules">{{#rules}}<li><code>{{id}}</code> → {{department}}: {{#words}}<mark title="{{title}}">{{text}}</mark> {{/words}}</li>{{/rules}}</ul>
        </section>
        {{/decision}}
        {{/content}}{{/layout}}
        """

    static let search = """
        {{<layout}}{{$content}}
        <h1>{{t.search}}{{#searched}} <small>{{t.count}}: {{count}}</small>{{/searched}}</h1>
        <p class="help shown">{{t.search_help}}</p>
        {{#searched}}{{^hasRows}}<p>{{t.nothing_found}}</p>{{/hasRows}}{{/searched}}
        {{#hasRows}}
        <table class="queue" id="queue">
        <thead><tr><th>{{t.tracking}}</th><th>{{t.received}}</th><th>{{t.status}}</th><th>{{t.department}}</th>
        <th>{{t.due}}</th><th>{{t.applicant}}</th><th>{{t.text}}</th></tr></thead>
        <tbody>
        {{#rows}}
        <tr class="row sla-{{slaClass}}" data-href="/appeals/{{tracking}}">
        <td><a href="/appeals/{{tracking}}">{{tracking}}</a>{{#urgent}} <span class="badge urgent">{{t.urgent}}</span>{{/urgent}}</td>
        <td>{{received}}</td><td>{{status}}</td><td>{{department}}</td><td>{{due}} <small>{{sla}}</small></td>
        <td>{{applicant}}</td><td class="excerpt">{{excerpt}}</td>
        </tr>
        {{/rows}}
        </tbody></table>
        {{/hasRows}}
        {{/content}}{{/layout}}
        """

    /// What the adapters set aside, newest first; a row's raw bytes only as an escaped one-line preview.
    static let quarantine = """
        {{<layout}}{{$content}}
        <h1>{{t.quarantine}} <small>{{t.quarantine_open}}: {{count}}</small></h1>
        <p class="help shown">{{t.quarantine_help}}</p>
        <p>{{#all}}<a href="/quarantine">{{t.quarantine_open_only}}</a>{{/all}}{{^all}}<a href="/quarantine?all=1">{{t.quarantine_show_all}}</a>{{/all}}</p>
        {{^hasRows}}<p id="quarantine-empty">{{t.quarantine_empty}}</p>{{/hasRows}}
        {{#hasRows}}
        <table class="queue" id="queue">
        <thead><tr><th>{{t.record}}</th><th>{{t.channel}}</th><th>{{t.source}}</th><th>{{t.position}}</th>
        <th>{{t.when}}</th><th>{{t.reason}}</th><th>{{t.raw}}</th></tr></thead>
        <tbody>
        {{#rows}}
        <tr class="row{{#resolved}} resolved{{/resolved}}" data-href="/quarantine/{{id}}">
        <td><a href="/quarantine/{{id}}">#{{id}}</a>{{#resolved}} <span class="badge">{{t.resolved}}</span>{{/resolved}}</td>
        <td>{{channel}}</td><td>{{source}}</td><td>{{position}}</td><td>{{at}}</td><td>{{reason}}</td>
        <td class="excerpt"><code>{{preview}}</code></td>
        </tr>
        {{/rows}}
        </tbody></table>
        {{#paging}}<p class="pager">{{#previous}}<a href="{{previous}}" rel="prev">← {{t.newest}}</a> {{/previous}}{{#next}}<a href="{{next}}" rel="next">{{t.older}} →</a>{{/next}}</p>{{/paging}}
        {{/hasRows}}
        {{/content}}{{/layout}}
        """

    /// One quarantined record: every field, the raw bytes as escaped text (the first 64 KB), the download of the
    /// exact bytes, and the retry its kind allows.
    static let quarantineRecord = """
        {{<layout}}{{$content}}
        {{#record}}
        <h1>{{t.quarantine}} #{{id}}{{#resolved}} <span class="badge">{{t.resolved}}</span>{{/resolved}}</h1>
        <dl class="facts">
        <dt>{{t.channel}}</dt><dd>{{channel}}</dd>
        <dt>{{t.source}}</dt><dd>{{source}}</dd>
        <dt>{{t.position}}</dt><dd>{{position}}</dd>
        <dt>{{t.when}}</dt><dd>{{at}}</dd>
        <dt>{{t.reason}}</dt><dd>{{reason}}</dd>
        {{#sourceKey}}<dt>{{t.source_key}}</dt><dd><code>{{sourceKey}}</code></dd>{{/sourceKey}}
        <dt>{{t.size}}</dt><dd>{{size}}</dd>
        </dl>
        {{^resolved}}
        <h2>{{t.retry}}</h2>
        {{#retryHelp}}<p>{{retryHelp}}</p>{{/retryHelp}}
        {{#mayRetry}}
        <form method="post" action="/quarantine/{{id}}/retry" class="action retry">
        <input type="hidden" name="csrf" value="{{csrf}}">
        {{#isEmail}}<label><input type="checkbox" name="asAppeal" value="1"> {{t.quarantine_as_appeal}}</label>{{/isEmail}}
        <button type="submit">{{t.retry}}</button></form>
        {{/mayRetry}}
        {{/resolved}}
        <h2>{{t.raw}}</h2>
        <p><a href="/quarantine/{{id}}/raw" download>{{t.raw_download}}</a></p>
        {{#cut}}<p class="help shown">{{cut}}</p>{{/cut}}
        <pre class="text raw">{{raw}}</pre>
        {{/record}}
        <p><a href="/quarantine">← {{t.quarantine}}</a></p>
        {{/content}}{{/layout}}
        """

    /// The signed-in person's own account: what it is, and changing the password.
    static let account = """
        {{<layout}}{{$content}}
        <h1>{{t.my_account}}</h1>
        {{#account}}
        <dl class="facts">
        <dt>{{t.login}}</dt><dd>{{login}}</dd>
        <dt>{{t.full_name}}</dt><dd>{{name}}</dd>
        <dt>{{t.role}}</dt><dd>{{role}}</dd>
        <dt>{{t.department}}</dt><dd>{{department}}</dd>
        </dl>
        {{/account}}
        <h2>{{t.change_password}}</h2>
        <p class="help shown">{{t.password_help}}</p>
        <form method="post" action="/account/password" class="action password" id="own-password">
        <input type="hidden" name="csrf" value="{{csrf}}">
        <input type="hidden" name="login" value="{{account.login}}" autocomplete="username">
        <label>{{t.current_password}} <input name="current" type="password" autocomplete="current-password" required></label>
        <label>{{t.new_password}} <input name="password" type="password" autocomplete="new-password" minlength="8" required></label>
        <label>{{t.repeat_password}} <input name="again" type="password" autocomplete="new-password" minlength="8" required></label>
        <button type="submit">{{t.change_password}}</button></form>
        {{/content}}{{/layout}}
        """

    /// Every account, and adding one: the administrator's page.
    static let staff = """
        {{<layout}}{{$content}}
        <h1>{{t.staff}} <small>{{t.count}}: {{count}}</small></h1>
        <table class="queue" id="staff">
        <thead><tr><th>{{t.login}}</th><th>{{t.full_name}}</th><th>{{t.role}}</th><th>{{t.department}}</th>
        <th>{{t.language}}</th><th>{{t.state}}</th><th>{{t.created}}</th></tr></thead>
        <tbody>
        {{#rows}}
        <tr class="row{{#disabled}} resolved{{/disabled}}" data-href="/staff/{{login}}">
        <td><a href="/staff/{{login}}">{{login}}</a></td><td>{{name}}</td><td>{{role}}</td><td>{{department}}</td>
        <td>{{language}}</td><td>{{#disabled}}<span class="badge">{{t.blocked}}</span>{{/disabled}}{{^disabled}}{{t.active}}{{/disabled}}</td><td>{{created}}</td>
        </tr>
        {{/rows}}
        </tbody></table>
        <h2>{{t.add_account}}</h2>
        <p class="help shown">{{t.role_help}}</p>
        <form method="post" action="/staff" class="action account" id="add-account">
        <input type="hidden" name="csrf" value="{{csrf}}">
        {{#form}}
        <label>{{t.login}} <input name="login" required pattern="[a-z0-9._\\-]{2,64}" autocomplete="off" value="{{login}}"></label>
        <label>{{t.full_name}} <input name="name" required maxlength="200" value="{{name}}"></label>
        <label>{{t.role}} <select name="role">{{#roles}}<option value="{{code}}"{{#selected}} selected{{/selected}}>{{name}}</option>{{/roles}}</select></label>
        <label>{{t.department}} <select name="department">{{#departments}}<option value="{{code}}"{{#selected}} selected{{/selected}}>{{name}}</option>{{/departments}}</select></label>
        <label>{{t.language}} <select name="language">{{#languages}}<option value="{{code}}"{{#selected}} selected{{/selected}}>{{name}}</option>{{/languages}}</select></label>
        {{/form}}
        <label>{{t.password}} <input name="password" type="password" autocomplete="new-password" minlength="8" required></label>
        <button type="submit">{{t.add}}</button></form>
        {{/content}}{{/layout}}
        """

    /// One account: its details, a new password, disabling or enabling it.
    static let staffMember = """
        {{<layout}}{{$content}}
        {{#member}}
        <h1>{{name}} <small>{{login}}</small>{{#disabled}} <span class="badge">{{t.blocked}}</span>{{/disabled}}</h1>
        <h2>{{t.edit_account}}</h2>
        <form method="post" action="/staff/{{login}}" class="action account" id="edit-account">
        <input type="hidden" name="csrf" value="{{csrf}}">
        <label>{{t.full_name}} <input name="name" required maxlength="200" value="{{name}}"></label>
        {{^self}}
        <label>{{t.role}} <select name="role">{{#roles}}<option value="{{code}}"{{#selected}} selected{{/selected}}>{{name}}</option>{{/roles}}</select></label>
        <label>{{t.department}} <select name="department">{{#departments}}<option value="{{code}}"{{#selected}} selected{{/selected}}>{{name}}</option>{{/departments}}</select></label>
        {{/self}}
        <label>{{t.language}} <select name="language">{{#languages}}<option value="{{code}}"{{#selected}} selected{{/selected}}>{{name}}</option>{{/languages}}</select></label>
        <button type="submit">{{t.save}}</button></form>
        <p class="help shown">{{t.role_help}}</p>
        <h2>{{t.set_password}}</h2>
        <p class="help shown">{{t.set_password_help}}</p>
        <form method="post" action="/staff/{{login}}/password" class="action password" id="reset-password">
        <input type="hidden" name="csrf" value="{{csrf}}">
        <label>{{t.new_password}} <input name="password" type="password" autocomplete="new-password" minlength="8" required></label>
        <button type="submit">{{t.set_password}}</button></form>
        {{^self}}
        <h2>{{t.state}}: {{#disabled}}{{t.blocked}}{{/disabled}}{{^disabled}}{{t.active}}{{/disabled}}</h2>
        {{^disabled}}<p class="help shown">{{t.disable_help}}</p>
        <form method="post" action="/staff/{{login}}/disable" class="action" id="disable-account">
        <input type="hidden" name="csrf" value="{{csrf}}"><button type="submit">{{t.disable_account}}</button></form>{{/disabled}}
        {{#disabled}}<form method="post" action="/staff/{{login}}/enable" class="action" id="enable-account">
        <input type="hidden" name="csrf" value="{{csrf}}"><button type="submit">{{t.enable_account}}</button></form>{{/disabled}}
        {{/self}}
        {{/member}}
        <p><a href="/staff">← {{t.staff}}</a></p>
        {{/content}}{{/layout}}
        """
}
