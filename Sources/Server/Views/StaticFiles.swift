// The stylesheet and the one script, served from the binary. The script only adds keyboard moves and row links;
// every action is a plain form that works without it.
enum StaticFiles {
    static let css = """
        body { font: 15px/1.45 system-ui, sans-serif; margin: 0; color: #1d2733; background: #f6f7f9; }
        header { display: flex; gap: 1.2em; align-items: center; padding: .6em 1.2em; background: #0b4f6c; color: #fff; }
        header a { color: #fff; text-decoration: none; } header .brand { font-weight: 700; }
        header nav { display: flex; gap: 1em; flex: 1; } header .who { opacity: .85; }
        main { padding: 1em 1.5em; max-width: 1300px; }
        form.inline { display: inline; }
        table { border-collapse: collapse; width: 100%; background: #fff; }
        th, td { text-align: left; padding: .35em .5em; border-bottom: 1px solid #e1e4e8; vertical-align: top; }
        tr.row.current { outline: 2px solid #0b4f6c; }
        .excerpt { max-width: 34em; color: #44505c; }
        .sla-overdue td:first-child, .badge.sla-overdue { border-left: 5px solid #c62828; }
        .sla-today td:first-child, .badge.sla-today { border-left: 5px solid #ef6c00; }
        .sla-soon td:first-child, .badge.sla-soon { border-left: 5px solid #f9a825; }
        .sla-ok td:first-child, .badge.sla-ok { border-left: 5px solid #2e7d32; }
        .badge { font-size: .75em; padding: .1em .45em; background: #eef1f4; border-radius: 3px; }
        .badge.urgent { background: #c62828; color: #fff; }
        .flash { padding: .5em .8em; background: #e8f5e9; border: 1px solid #a5d6a7; }
        .flash.error { background: #ffebee; border-color: #ef9a9a; }
        pre.text { white-space: pre-wrap; background: #fff; padding: 1em; border: 1px solid #e1e4e8; }
        form.action { margin: .6em 0; padding: .6em; background: #fff; border: 1px solid #e1e4e8; }
        form.action textarea { display: block; width: 100%; }
        form.login { display: grid; gap: .6em; max-width: 22em; }
        dl.facts { display: grid; grid-template-columns: max-content 1fr; gap: .2em 1em; }
        .why { font-size: .8em; color: #6a737d; } .help { color: #6a737d; font-size: .85em; }
        [data-page=triage] .help { display: none; } [data-page=triage] .help.shown { display: block; }
        header form.search input { width: 16em; padding: .25em .4em; }
        .live { padding: .4em .8em; background: #e3f2fd; border: 1px solid #90caf9; }
        td.num { text-align: right; font-variant-numeric: tabular-nums; }
        meter { width: 14em; }
        meter::-webkit-meter-suboptimum-value, meter::-webkit-meter-even-less-good-value { background: #c62828; }
        section.report, section#decision { background: #fff; padding: .6em 1em; border: 1px solid #e1e4e8; }
        form.rules-try { display: grid; gap: .5em; max-width: 50em; } form.rules-try textarea { width: 100%; }
        form.rules-try button { justify-self: start; }
        mark { background: #fff3bf; } table.queue select { max-width: 18em; }
        tr.resolved { opacity: .65; } pre.raw { max-height: 40em; overflow: auto; white-space: pre-wrap; }
        """

    static let javascript = """
        // Triage and department queues: j/k move, Enter opens, a assigns, / focuses search, ? help.
        document.addEventListener('DOMContentLoaded', function () {
          var rows = Array.prototype.slice.call(document.querySelectorAll('#queue tr.row'));
          var current = -1;
          function select(index) {
            if (!rows.length) return;
            if (current >= 0) rows[current].classList.remove('current');
            current = Math.max(0, Math.min(rows.length - 1, index));
            rows[current].classList.add('current');
            rows[current].scrollIntoView({block: 'nearest'});
          }
          document.addEventListener('keydown', function (event) {
            var target = event.target;
            if (target && (target.tagName === 'INPUT' || target.tagName === 'TEXTAREA' || target.tagName === 'SELECT')) {
              if (event.key === 'Escape') target.blur();
              // Enter on a row's department list assigns, as the button would.
              if (event.key === 'Enter' && target.tagName === 'SELECT' && target.form && target.value) {
                event.preventDefault();
                target.form.submit();
              }
              return;
            }
            if (event.ctrlKey || event.metaKey || event.altKey) return;
            if (event.key === 'j') { select(current + 1); event.preventDefault(); }
            else if (event.key === 'k') { select(current - 1); event.preventDefault(); }
            else if (event.key === 'Enter' && current >= 0) { window.location = rows[current].dataset.href; }
            else if (event.key === 'a' && current >= 0) {
              // One key assigns to the department chosen in the row (the rules' suggestion); with none chosen
              // the list opens for the operator to pick one.
              var list = rows[current].querySelector('select');
              if (list && list.value) { list.form.submit(); event.preventDefault(); }
              else if (list) { list.focus(); event.preventDefault(); }
            }
            else if (event.key === 'x' && current >= 0) {
              var pick = rows[current].querySelector('input[type=checkbox]');
              if (pick) { pick.checked = !pick.checked; event.preventDefault(); }
            }
            else if (event.key === '/') {
              var search = document.querySelector('input[type=search]');
              if (search) { search.focus(); event.preventDefault(); }
            }
            else if (event.key === '?') {
              var help = document.querySelector('.help');
              if (help) help.classList.toggle('shown');
            }
          });
          if (rows.length) select(0);
          var language = document.querySelector('form.language select');
          if (language) {
            language.form.querySelector('button').hidden = true;
            language.addEventListener('change', function () { language.form.submit(); });
          }
          // Live updates: the triage page listens for appeals that arrived after it was opened.
          var live = document.getElementById('live');
          if (live && window.EventSource) {
            var title = document.title;
            var source = new EventSource(live.dataset.stream);
            source.addEventListener('triage', function (message) {
              var fresh = JSON.parse(message.data).new;
              live.querySelector('.count').textContent = fresh;
              live.hidden = fresh === 0;
              document.title = (fresh > 0 ? '(' + fresh + ') ' : '') + title;
            });
          }
        });
        """
}
