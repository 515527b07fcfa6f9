// The director's signature with a key on a token, through «КриптоПро ЭЦП Browser plug-in».
//
// The server prepares each document and gives the Streebog hash of what the signature covers;
// this script asks the plug-in to sign each hash (CAdES-BES) and posts the CMS back; the server
// finishes, stores and records the document. The key never leaves the token.
//
// Sources of the plug-in facts used here (CryptoPro's documentation at docs.cryptopro.ru,
// «Создание и проверка отделенной подписи по хэш-значению данных» and «Вычисление подписи по
// хэш-значению», and the published samples built on `cadesplugin_api.js`):
//  * `window.cadesplugin` is defined by CryptoPro's `cadesplugin_api.js` as a thenable that
//    resolves when the extension and its native part answer, and rejects when they are missing;
//    objects come from `cadesplugin.CreateObjectAsync(progid)`; every property read returns a
//    Promise, properties are set with `propset_<Name>(value)`, methods return Promises.
//  * `CAdESCOM.Store`.Open(CAPICOM_CURRENT_USER_STORE = 2, CAPICOM_MY_STORE = "My",
//    CAPICOM_STORE_OPEN_MAXIMUM_ALLOWED = 2); `Certificates`, `Count`, `Item(i)` counting from 1;
//    a certificate's `SubjectName`, `IssuerName`, `ValidToDate`, `Thumbprint`, `HasPrivateKey()`,
//    `Export(CADESCOM_ENCODE_BASE64 = 0)`, `PublicKey()`.Algorithm.Value (the key's OID).
//  * `CAdESCOM.HashedData`: the algorithm must be set with `propset_Algorithm` BEFORE
//    `SetHashValue` (CADESCOM_HASH_ALGORITHM_CP_GOST_3411_2012_256 = 101, _512 = 102), and it must
//    match the certificate's key, else SignHash fails with 0x80070057; `SetHashValue` takes hex
//    digits, two per byte, spaces allowed.
//  * `CAdESCOM.CadesSignedData`.SignHash(hashedData, signer, CADESCOM_CADES_BES = 1) returns the
//    detached CMS in base64, broken into lines (samples strip "\r\n" before sending it on).
// The byte order of the hex: CryptoPro prints GOST R 34.11-2012 hashes in the order OpenSSL's
// GOST engine outputs the digest bytes (e.g. «Hello, world!» → ccb6fae3…5aeb with both: the
// CryptoPro FAQ «Вычисление хэшей … по ГОСТ 34.11-2012» as quoted in vanyabeat/fast-streebog
// issue 1, and `openssl dgst -engine gost -md_gost12_256` here), which is also the order of the
// CMS messageDigest. That SetHashValue reads the hex in that same order is an ASSUMPTION no public
// page states outright; a wrong guess fails loudly: the server refuses a CMS whose messageDigest
// is not the prepared hash, and nothing is written.
// Also assumed (not verified on a real installation): cancelling the PIN dialogue rejects with
// 0x8010006E (SCARD_W_CANCELLED_BY_USER) or 0x800704C7 (ERROR_CANCELLED) in the message.
(function () {
  'use strict';
  var route = document.getElementById('plugin-route');
  if (!route) { return; }
  var form = route.closest('form');
  var status = route.querySelector('.plugin-status');
  var help = route.querySelector('.plugin-help');
  var picker = route.querySelector('.plugin-certificates');
  var select = picker.querySelector('select');
  var progress = document.getElementById('plugin-progress');
  var GOST_2012 = {'1.2.643.7.1.1.1.1': 101, '1.2.643.7.1.1.1.2': 102};
  var HASH_ALGORITHM = {streebog256: 101, streebog512: 102};
  var CANCELLED = /0x8010006E|0x800704C7/i;
  var certificates = [];
  // the documented values, used when a version of cadesplugin_api.js does not carry the constant
  var CONSTANTS = {CAPICOM_CURRENT_USER_STORE: 2, CAPICOM_MY_STORE: 'My', CAPICOM_STORE_OPEN_MAXIMUM_ALLOWED: 2,
                   CAPICOM_CERTIFICATE_INCLUDE_WHOLE_CHAIN: 1, CADESCOM_ENCODE_BASE64: 0, CADESCOM_CADES_BES: 1};
  function constant(name) {
    var value = window.cadesplugin && window.cadesplugin[name];
    return value === undefined ? CONSTANTS[name] : value;
  }

  function say(text, kind) {
    status.textContent = text;
    status.className = 'plugin-status ' + (kind || 'muted');
  }

  function plugin() {
    if (typeof window.cadesplugin === 'undefined') { return Promise.reject(new Error('нет cadesplugin')); }
    var wait = new Promise(function (resolve, reject) {
      setTimeout(function () { reject(new Error('плагин не ответил за 20 секунд')); }, 20000);
    });
    return Promise.race([Promise.resolve(window.cadesplugin), wait]);
  }

  function missing() {
    say('Не найден КриптоПро ЭЦП Browser plug-in.', 'error');
    help.hidden = false;
    picker.hidden = true;
    route.classList.add('plugin-missing');
    route.parentNode.appendChild(route);  // the key file and token routes come first
    var file = form.querySelector('input[name=method][value=file]');
    if (file && route.querySelector('input[name=method]').checked) { file.checked = true; }
  }

  // «CN=Смирнов Виктор Васильевич, O="МБОУ СОШ № 21, г. Тула", C=RU» → {CN: …, O: …}
  function parseName(text) {
    var parts = {}, re = /\s*([A-Za-z0-9.]+)=("(?:[^"]|"")*"|[^,]*)\s*(?:,|$)/g, m;
    while ((m = re.exec(text)) !== null && m[0] !== '') {
      var value = m[2];
      if (value.charAt(0) === '"') { value = value.slice(1, -1).replace(/""/g, '"'); }
      if (!(m[1] in parts)) { parts[m[1]] = value.trim(); }
    }
    return parts;
  }

  function day(date) {
    return ('0' + date.getDate()).slice(-2) + '.' + ('0' + (date.getMonth() + 1)).slice(-2) + '.' + date.getFullYear();
  }

  async function listCertificates() {
    var cp = window.cadesplugin;
    var store = await cp.CreateObjectAsync('CAdESCOM.Store');
    await store.Open(constant('CAPICOM_CURRENT_USER_STORE'), constant('CAPICOM_MY_STORE'),
                     constant('CAPICOM_STORE_OPEN_MAXIMUM_ALLOWED'));
    var all = await store.Certificates;
    var count = await all.Count, found = [], now = new Date();
    for (var i = 1; i <= count; i++) {
      var cert = await all.Item(i);
      var validTo = new Date(await cert.ValidToDate);
      var oid = await (await (await cert.PublicKey()).Algorithm).Value;
      if (!(oid in GOST_2012) || !(validTo > now) || !(await cert.HasPrivateKey())) { continue; }
      var subject = parseName(await cert.SubjectName), issuer = parseName(await cert.IssuerName);
      found.push({cert: cert, owner: subject.CN || '', organisation: subject.O || '', issuer: issuer.CN || issuer.O || '',
                  validTo: validTo, thumbprint: await cert.Thumbprint});
    }
    await store.Close();
    return found;
  }

  async function showCertificates() {
    say('Читаем сертификаты с токена…');
    try {
      certificates = await listCertificates();
    } catch (err) {
      say('Не удалось прочитать сертификаты: ' + cadesMessage(err), 'error');
      return;
    }
    select.innerHTML = '';
    certificates.forEach(function (c, n) {
      var option = document.createElement('option');
      option.value = String(n);
      option.textContent = c.owner + (c.organisation ? ' — ' + c.organisation : '') + ', действителен до ' + day(c.validTo);
      select.appendChild(option);
    });
    picker.hidden = certificates.length === 0;
    if (certificates.length) {
      say('КриптоПро ЭЦП Browser plug-in найден. Выберите свой сертификат.', 'ok');
    } else {
      say('На токене нет действующего сертификата ГОСТ с закрытым ключом. Вставьте токен (Рутокен, JaCarta) ' +
          'и нажмите «Обновить список».', 'error');
    }
  }

  function cadesMessage(err) {
    var text = window.cadesplugin && window.cadesplugin.getLastError ? window.cadesplugin.getLastError(err)
      : (err && err.message) || String(err);
    return String(text);
  }

  async function post(url, body) {
    var response = await fetch(url, {method: 'POST', credentials: 'same-origin', body: JSON.stringify(body),
      headers: {'Content-Type': 'application/json', 'Accept': 'application/json', 'X-CSRFToken': window.csrfToken}});
    var answer = null;
    try { answer = await response.json(); } catch (e) { answer = null; }
    if (!response.ok) {
      throw new Error(answer && answer.error ? answer.error.message
        : 'сервер не ответил (' + response.status + '); обновите страницу и повторите');
    }
    return answer;
  }

  function line(label, text, kind) {
    var li = document.createElement('li');
    li.innerHTML = '<span class="doc"></span> — <span class="state"></span>';
    li.querySelector('.doc').textContent = label;
    progress.querySelector('ul').appendChild(li);
    mark(li, text, kind);
    return li;
  }

  function mark(li, text, kind) {
    li.querySelector('.state').textContent = text;
    li.className = kind || '';
  }

  async function signOne(item, chosen) {
    var cp = window.cadesplugin;
    var hashed = await cp.CreateObjectAsync('CAdESCOM.HashedData');
    await hashed.propset_Algorithm(HASH_ALGORITHM[item.algorithm]);  // before SetHashValue
    await hashed.SetHashValue(item.hash);
    var signer = await cp.CreateObjectAsync('CAdESCOM.CPSigner');
    await signer.propset_Certificate(chosen.cert);
    await signer.propset_Options(constant('CAPICOM_CERTIFICATE_INCLUDE_WHOLE_CHAIN'));
    var signedData = await cp.CreateObjectAsync('CAdESCOM.CadesSignedData');
    var cms = await signedData.SignHash(hashed, signer, constant('CADESCOM_CADES_BES'));
    return String(cms).replace(/\s+/g, '');
  }

  async function run(event) {
    if (!route.querySelector('input[name=method]').checked) { return; }  // another route: the form posts
    event.preventDefault();
    var periods = Array.prototype.map.call(form.querySelectorAll('input[name=period]:checked'), function (b) {
      return b.value;
    });
    var chosen = certificates[Number(select.value)];
    progress.hidden = false;
    progress.querySelector('ul').innerHTML = '';
    var summary = progress.querySelector('.summary');
    summary.className = 'summary';
    if (!periods.length) { summary.textContent = 'Отметьте хотя бы один период.'; summary.className = 'summary error'; return; }
    if (!chosen) { summary.textContent = 'Выберите сертификат.'; summary.className = 'summary error'; return; }
    form.querySelectorAll('button, input').forEach(function (el) { el.disabled = true; });
    summary.textContent = 'Готовим документы к подписи…';
    var signed = 0, failed = 0, prepared;
    try {
      prepared = await post(route.dataset.prepareUrl, {periods: periods,
                                                        certificate: await chosen.cert.Export(constant('CADESCOM_ENCODE_BASE64'))});
    } catch (err) {
      summary.textContent = 'Ничего не подписано: ' + cadesMessage(err);
      summary.className = 'summary error';
      form.querySelectorAll('button, input').forEach(function (el) { el.disabled = false; });
      return;
    }
    prepared.done.forEach(function (d) {
      line(d['class'] + ', ' + d.period_word, d.ok ? 'подписан' : 'не подписан: ' + d.message, d.ok ? 'ok' : 'error');
      if (d.ok) { signed++; } else { failed++; }
    });
    var rows = prepared.items.map(function (item) { return line(item['class'] + ', ' + item.period_word, 'ожидает подписи'); });
    summary.textContent = 'Подписываем. КриптоПро может спросить PIN-код токена.';
    var cancelled = false;
    for (var n = 0; n < prepared.items.length; n++) {
      var item = prepared.items[n], li = rows[n];
      if (cancelled) { mark(li, 'не подписан', 'muted'); continue; }
      mark(li, 'подписывается…', 'busy');
      var cms;
      try {
        cms = await signOne(item, chosen);
      } catch (err) {
        var text = cadesMessage(err);
        if (CANCELLED.test(text)) {
          cancelled = true;
          mark(li, 'не подписан', 'muted');
        } else {
          failed++;
          mark(li, 'не подписан: ' + text, 'error');
        }
        continue;
      }
      try {
        var outcome = await post(route.dataset.completeUrl.replace('ID', item.id), {cms: cms});
        if (outcome.ok) { signed++; mark(li, 'подписан', 'ok'); } else { failed++; mark(li, 'не подписан: ' + outcome.message, 'error'); }
      } catch (err) {
        failed++;
        mark(li, 'не подписан: ' + cadesMessage(err), 'error');
      }
    }
    var total = prepared.items.length + prepared.done.length;
    var counted = 'Подписано документов: ' + signed + ' из ' + total + '.';
    if (cancelled || failed) {
      summary.textContent = (cancelled ? 'Подписание отменено: окно ввода PIN-кода закрыто. ' : '') + counted +
        ' Неподписанные документы можно подписать снова: нажмите «Подписать отмеченные периоды».';
      summary.className = 'summary error';
      form.querySelectorAll('button, input').forEach(function (el) { el.disabled = false; });
    } else {
      summary.textContent = 'Готово. ' + counted;
      summary.className = 'summary ok';
    }
    progress.querySelector('.again').hidden = false;
  }

  route.querySelector('.plugin-refresh').addEventListener('click', function (e) { e.preventDefault(); showCertificates(); });
  form.addEventListener('submit', function (event) { run(event); });
  plugin().then(function () {
    route.querySelector('input[name=method]').checked = true;
    route.classList.add('plugin-found');
    return showCertificates();
  }, missing);
})();
