/*
 * Parley's embed: <script src="https://<parley>/embed.js" data-link="<token>" async></script>
 * renders a button that opens the interview in an overlay, or with data-mode="inline" the interview
 * itself, framed from /embed/<token>. data-email prefills the respondent's email; data-label names
 * the button. No dependencies; loading it twice mounts each tag once.
 */
(function () {
	'use strict';
	var TOKEN = /^[A-Za-z0-9_-]{16,64}$/;
	var russian = /^ru\b/i.test(document.documentElement.lang || navigator.language || '');
	var WORDS = russian
		? { open: 'Пройти интервью', close: 'Закрыть', title: 'Интервью' }
		: { open: 'Take the interview', close: 'Close', title: 'Interview' };

	function frameFor(script, origin) {
		var frame = document.createElement('iframe');
		var email = script.getAttribute('data-email');
		frame.src = origin + '/embed/' + script.getAttribute('data-link') + (email ? '?email=' + encodeURIComponent(email) : '');
		frame.title = WORDS.title;
		frame.setAttribute('allow', 'microphone; autoplay');
		frame.style.cssText = 'display:block;width:100%;height:100%;border:0;background:transparent;color-scheme:normal';
		return frame;
	}

	function openOverlay(script, origin, button) {
		var overlay = document.createElement('div');
		overlay.setAttribute('role', 'dialog');
		overlay.setAttribute('aria-modal', 'true');
		overlay.setAttribute('aria-label', WORDS.title);
		overlay.setAttribute('data-parley-overlay', '');
		overlay.style.cssText =
			'position:fixed;inset:0;z-index:2147483000;display:flex;align-items:center;justify-content:center;background:rgba(0,0,0,.6)';
		var panel = document.createElement('div');
		panel.style.cssText =
			'position:relative;width:min(100%,720px);height:min(100%,900px);background:#fff;border-radius:' +
			(innerWidth > 720 ? '12px' : '0') +
			';overflow:hidden;box-shadow:0 10px 40px rgba(0,0,0,.4)';
		var close = document.createElement('button');
		close.type = 'button';
		close.textContent = '×';
		close.setAttribute('aria-label', WORDS.close);
		close.style.cssText =
			'position:absolute;top:6px;right:6px;z-index:1;width:36px;height:36px;border:0;border-radius:50%;background:rgba(0,0,0,.55);color:#fff;font:24px/1 sans-serif;cursor:pointer';
		var frame = frameFor(script, origin);
		var previousOverflow = document.documentElement.style.overflow;
		function dismiss() {
			document.removeEventListener('keydown', onKey);
			overlay.remove();
			document.documentElement.style.overflow = previousOverflow;
			button.focus();
		}
		function onKey(event) {
			if (event.key === 'Escape') dismiss();
		}
		close.addEventListener('click', dismiss);
		overlay.addEventListener('click', function (event) {
			if (event.target === overlay) dismiss();
		});
		document.addEventListener('keydown', onKey);
		panel.appendChild(close);
		panel.appendChild(frame);
		overlay.appendChild(panel);
		document.body.appendChild(overlay);
		document.documentElement.style.overflow = 'hidden';
		frame.focus();
	}

	function mount(script) {
		if (script.hasAttribute('data-parley-mounted')) return;
		var token = script.getAttribute('data-link') || '';
		if (!TOKEN.test(token)) return;
		script.setAttribute('data-parley-mounted', '');
		var origin = new URL(script.src, location.href).origin;
		var holder = document.createElement('div');
		holder.className = 'parley-embed';
		if (script.getAttribute('data-mode') === 'inline') {
			holder.style.cssText = 'width:100%;max-width:720px;height:' + (script.getAttribute('data-height') || 'min(720px,90vh)');
			holder.appendChild(frameFor(script, origin));
		} else {
			var button = document.createElement('button');
			button.type = 'button';
			button.textContent = script.getAttribute('data-label') || WORDS.open;
			button.addEventListener('click', function () {
				openOverlay(script, origin, button);
			});
			holder.appendChild(button);
		}
		script.parentNode.insertBefore(holder, script.nextSibling);
	}

	function mountAll() {
		var scripts = document.querySelectorAll('script[data-link][src]');
		for (var i = 0; i < scripts.length; i++) {
			if (/\/embed\.js$/.test(new URL(scripts[i].src, location.href).pathname)) mount(scripts[i]);
		}
	}

	if (document.readyState === 'loading') document.addEventListener('DOMContentLoaded', mountAll);
	else mountAll();
})();
