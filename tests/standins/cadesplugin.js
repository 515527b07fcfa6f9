// A stand-in for CryptoPro's `cadesplugin_api.js` with the browser extension installed: the subset
// of its asynchronous API the archive's signing page uses, backed by the test token server
// (tests/standins/cadesplugin_token.py) through the Playwright binding `window.cadespluginToken`.
//
// Shape, as in the real file and CryptoPro's samples: `window.cadesplugin` is a Promise (resolved
// once the extension answers) that also carries the constants and `CreateObjectAsync(progid)`;
// objects answer every property read with a Promise and set properties through
// `propset_<Name>(value)`; methods return Promises; failures reject with an Error whose message
// is the CryptoAPI text and code, e.g. «Действие было отменено пользователем. (0x8010006E)».
// Injected with `context.add_init_script`, so it exists before the page's own scripts run.
(function () {
  'use strict';
  function call(method, payload) {
    return window.cadespluginToken(method, JSON.stringify(payload || {})).then(function (text) {
      var answer = JSON.parse(text);
      if (answer && answer.error) { throw new Error(answer.error); }
      return answer;
    });
  }
  function later(value) { return Promise.resolve(value); }

  function Certificate(info) {
    this._info = info;
    Object.defineProperty(this, 'SubjectName', {get: function () { return later(info.subject); }});
    Object.defineProperty(this, 'IssuerName', {get: function () { return later(info.issuer); }});
    Object.defineProperty(this, 'ValidFromDate', {get: function () { return later(info.valid_from); }});
    Object.defineProperty(this, 'ValidToDate', {get: function () { return later(info.valid_to); }});
    Object.defineProperty(this, 'Thumbprint', {get: function () { return later(info.thumbprint); }});
  }
  Certificate.prototype.HasPrivateKey = function () { return later(this._info.has_private_key); };
  Certificate.prototype.Export = function (encoding) {
    if (encoding !== 0) { return Promise.reject(new Error('Параметр задан неверно. (0x80070057)')); }
    return later(this._info.base64);
  };
  Certificate.prototype.PublicKey = function () {
    var oid = this._info.key_algorithm;
    return later({get Algorithm() { return later({get Value() { return later(oid); }}); }});
  };

  function Certificates(list) {
    Object.defineProperty(this, 'Count', {get: function () { return later(list.length); }});
    this.Item = function (i) {  // 1-based, as in CAPICOM
      if (i < 1 || i > list.length) { return Promise.reject(new Error('Неверный индекс. (0x80070057)')); }
      return later(new Certificate(list[i - 1]));
    };
  }

  function Store() {
    var opened = null;
    this.Open = function (location, name, mode) {
      if (location !== 2 || name !== 'My') { return Promise.reject(new Error('Хранилище не найдено. (0x80092004)')); }
      opened = call('certificates').then(function (list) { return new Certificates(list); });
      return opened.then(function () {});
    };
    Object.defineProperty(this, 'Certificates', {get: function () {
      return opened || Promise.reject(new Error('Хранилище не открыто. (0x80070057)'));
    }});
    this.Close = function () { opened = null; return later(); };
  }

  function HashedData() {
    var algorithm = 100, value = null;  // CADESCOM_HASH_ALGORITHM_CP_GOST_3411 (1994) by default
    this.propset_Algorithm = function (a) { algorithm = a; return later(); };
    this.propset_DataEncoding = function () { return later(); };
    this.SetHashValue = function (hex) { value = String(hex); return later(); };
    Object.defineProperty(this, 'Algorithm', {get: function () { return later(algorithm); }});
    Object.defineProperty(this, 'Value', {get: function () { return later(value); }});
    this._state = function () { return {algorithm: algorithm, hash: value}; };
  }

  function CPSigner() {
    var certificate = null, options = 0;
    this.propset_Certificate = function (c) { certificate = c; return later(); };
    this.propset_Options = function (o) { options = o; return later(); };
    this.propset_CheckCertificate = function () { return later(); };
    this._state = function () { return {certificate: certificate, options: options}; };
  }

  function CadesSignedData() {
    this.SignHash = function (hashed, signer, cadesType) {
      var h = hashed._state(), s = signer._state();
      if (!s.certificate) { return Promise.reject(new Error('Не задан сертификат подписи. (0x80070057)')); }
      if (h.hash === null) { return Promise.reject(new Error('Параметр задан неверно. (0x80070057)')); }
      // the PIN dialogue and the token take their time; a test may slow this down (window.cadesStandinDelay, ms)
      return new Promise(function (r) { setTimeout(r, window.cadesStandinDelay || 0); }).then(function () {
        return call('sign_hash', {thumbprint: s.certificate._info.thumbprint, algorithm: h.algorithm, hash: h.hash,
                                  cades_type: cadesType});
      }).then(function (answer) { return answer.cms; });
    };
  }

  var progids = {'CAdESCOM.Store': Store, 'CAdESCOM.HashedData': HashedData, 'CAdESCOM.CPSigner': CPSigner,
                 'CAdESCOM.CadesSignedData': CadesSignedData};
  var plugin = new Promise(function (resolve) { setTimeout(resolve, 50); });
  var constants = {
    CAPICOM_CURRENT_USER_STORE: 2, CAPICOM_MY_STORE: 'My', CAPICOM_STORE_OPEN_MAXIMUM_ALLOWED: 2,
    CAPICOM_CERTIFICATE_INCLUDE_WHOLE_CHAIN: 1, CAPICOM_CERTIFICATE_INCLUDE_END_ENTITY_ONLY: 2,
    CADESCOM_ENCODE_BASE64: 0, CADESCOM_CADES_BES: 1,
    CADESCOM_HASH_ALGORITHM_CP_GOST_3411_2012_256: 101, CADESCOM_HASH_ALGORITHM_CP_GOST_3411_2012_512: 102
  };
  Object.keys(constants).forEach(function (k) { plugin[k] = constants[k]; });
  plugin.CreateObjectAsync = function (progid) {
    var Made = progids[progid];
    if (!Made) { return Promise.reject(new Error('Класс не зарегистрирован: ' + progid + ' (0x80040154)')); }
    return later(new Made());
  };
  plugin.getLastError = function (err) { return err && err.message ? err.message : String(err); };
  window.cadesplugin = plugin;
})();
