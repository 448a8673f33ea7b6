// The pages' templates. Mustache escapes every {{value}}; no template uses the unescaped {{{ }}} form, so text
// from an appeal (an e-mail body, a subject, a name) can never become markup. Kept in the binary, so a deployment
// is one file plus Rules/.
enum Templates {
    static let all: [String: String] = [
        "layout": layout, "login": login, "triage": triage, "queue": queue, "appeal": appeal, "message": message,
    ]

    static let layout = """
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
        </nav>
        <span class="who">{{name}} · {{roleName}}</span>
        <form method="post" action="/logout" class="inline"><input type="hidden" name="csrf" value="{{csrf}}">
        <button type="submit">{{t.sign_out}}</button></form>
        {{/staff}}
        </header>
        <main>
        {{#flash}}<p class="flash {{kind}}" role="status">{{text}}</p>{{/flash}}
        {{$content}}{{/content}}
        </main>
        </body>
        </html>
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

    static let triage = """
        {{<layout}}{{$content}}
        <h1>{{t.triage}} <small>{{t.count}}: {{count}}</small></h1>
        <p class="help">{{t.keys_help}}</p>
        {{^rows}}<p>{{t.nothing}}</p>{{/rows}}
        {{#hasRows}}
        <table class="queue" id="queue">
        <thead><tr><th>{{t.tracking}}</th><th>{{t.received}}</th><th>{{t.channel}}</th><th>{{t.text}}</th>
        <th>{{t.suggested}}</th><th>{{t.assign}}</th></tr></thead>
        <tbody>
        {{#rows}}
        <tr class="row sla-{{slaClass}}" data-href="/appeals/{{tracking}}">
        <td><a href="/appeals/{{tracking}}">{{tracking}}</a>{{#urgent}} <span class="badge urgent">{{t.urgent}}</span>{{/urgent}}</td>
        <td>{{received}}</td><td>{{channel}}</td><td class="excerpt">{{excerpt}}</td>
        <td>{{#candidates}}<span class="candidate">{{name}} ({{score}})</span> {{/candidates}}<div class="why">{{reason}}</div></td>
        <td><form method="post" action="/appeals/{{tracking}}/assign" class="assign">
        <input type="hidden" name="csrf" value="{{csrf}}">
        <select name="department" aria-label="{{t.department}}">{{#options}}<option value="{{code}}"{{#selected}} selected{{/selected}}>{{name}}</option>{{/options}}</select>
        <button type="submit">{{t.assign}}</button></form></td>
        </tr>
        {{/rows}}
        </tbody></table>
        {{/hasRows}}
        {{/content}}{{/layout}}
        """

    static let queue = """
        {{<layout}}{{$content}}
        <h1>{{t.queue}}: {{departmentName}} <small>{{t.count}}: {{count}}</small></h1>
        {{#mayBrowse}}
        <form method="get" action="/queue" class="inline">
        <select name="department" aria-label="{{t.department}}">{{#options}}<option value="{{code}}"{{#selected}} selected{{/selected}}>{{name}}</option>{{/options}}</select>
        <button type="submit">OK</button></form>
        {{/mayBrowse}}
        {{^rows}}<p>{{t.nothing}}</p>{{/rows}}
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
        {{/hasRows}}
        {{/content}}{{/layout}}
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
        {{#hasActions}}<h2>{{t.actions}}</h2>{{/hasActions}}
        {{#mayAssign}}
        <form method="post" action="/appeals/{{appeal.tracking}}/assign" class="action assign">
        <input type="hidden" name="csrf" value="{{csrf}}">
        <label>{{t.assign}} <select name="department">{{#options}}<option value="{{code}}"{{#selected}} selected{{/selected}}>{{name}}</option>{{/options}}</select></label>
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
        {{#routing}}
        <h2>{{t.routing}}</h2>
        <p>{{reason}}</p>
        <ul class="rules">{{#rules}}<li><code>{{id}}</code> → {{department}}: {{#words}}<mark>{{text}}</mark> {{/words}}</li>{{/rules}}</ul>
        {{/routing}}
        <h2>{{t.history}}</h2>
        <table class="history"><thead><tr><th>{{t.when}}</th><th>{{t.actor}}</th><th>{{t.what}}</th><th>{{t.why}}</th></tr></thead>
        <tbody>{{#history}}<tr><td>{{at}}</td><td>{{actor}}</td><td>{{kind}}{{#status}} → {{status}}{{/status}}</td><td>{{why}}</td></tr>{{/history}}</tbody></table>
        {{/content}}{{/layout}}
        """
}
