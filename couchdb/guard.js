// validate_doc_update of _design/guard in a Tiêu chí province database (tieuchi_p<code>): who may write what.
//
// Installed by scripts/couchdb-setup and tests/sync/server.mjs: they drop every line before the
// first line that starts with "function", replace three placeholders and store the rest as the
// `validate_doc_update` string (pouchdb-server evaluates it as `return <source>`, so nothing may
// precede "function"):
//   __PROVINCE__        the province code, e.g. 96 (inside a string literal);
//   __PROVINCE_NAMES__  a JSON array of the province's names, e.g. ["Cà Mau","Bạc Liêu"];
//   __SIGNERS__         a JSON object account → {name, title}: who signs under which name.
// Keep it ES5 (CouchDB 3 may run SpiderMonkey 1.8.5: no let/const/arrow functions/template
// strings) and never name a placeholder inside the function except where it is replaced.
//
// Every refusal is {forbidden: "<tiếng Việt> / <English>"} and says where (event, field,
// indicator); not logged in: {unauthorized: …}. The rules, in the order they are checked
// (docs/sync-server.md "What the guard enforces" says the same in prose):
//  1. nesting depth ≤ 32 (counted with an explicit stack, before anything else);
//  2. design and _local documents are not checked here;
//  3. JSON ≤ 262144 characters (a framework's `text` is counted on its own); no _attachments;
//     no replication-style (new_edits:false) writes from members;
//  4. a delete (any truthy _deleted) only by _admin or quan_tri with the province role, and
//     never of a framework document;
//  5. the writer has tinh_<code> (or tinh_<code>_admin) or is _admin;
//  6. _id is assessment:<assessment.id> or framework:<id>@<version>, type matching;
//  7. framework documents: create-only for ever (a tombstone counts), text is a framework whose
//     id@version is the _id, every number finite and within ±1e12;
//  8. assessments: schema_version known, scope.province this province and unchanged, the
//     commune's province one of this province's names, commune scoping by xa_<code> roles;
//  9. workflow.audit append-only; new events well formed, each carrying the writer's account;
//     new stage events chain from the stored stage by TRANSITIONS, signed by the account's part
//     under the name of the signer list; one account signs one part of a dossier;
// 10. outside a draft the content is frozen; reviews only by the stage's holder, conditions only
//     by the recogniser while appraised.
// _admin is exempt from the account, role, signer, frozen-content and window rules, not from
// limits, shape or chain legality.
function (newDoc, oldDoc, userCtx, secObj) {
  var PROVINCE = "__PROVINCE__";
  var PROVINCE_NAMES = __PROVINCE_NAMES__;
  var SIGNERS = __SIGNERS__;
  // The procedure: step → stage it is taken at → {to, part}. The only copy of it here.
// <transitions> (domain::workflow::transition_table_json; tests/workflow.rs checks this line)
var TRANSITIONS = {"submit":{"draft":{"to":"submitted","part":"commune"}},"review":{"submitted":{"to":"reviewed","part":"reviewer"}},"appraise":{"reviewed":{"to":"appraised","part":"appraiser"}},"recognise":{"appraised":{"to":"recognised","part":"recogniser"}},"return":{"submitted":{"to":"draft","part":"reviewer"},"reviewed":{"to":"draft","part":"appraiser"},"appraised":{"to":"draft","part":"recogniser"}}};
// </transitions>
  var FIRST_STAGE = "draft";
  // The return step: needs a reason, and its part at a stage is who holds the dossier there
  // (may comment and override).
  var RETURN_STEP = "return";
  // The recognition conditions are the recogniser's: ticked while the dossier is with them.
  var CONDITIONS_PART = "recogniser";
  var KNOWN_SCHEMA_VERSIONS = [3, 4, 5, 6];
  var MAX_DEPTH = 32;
  var MAX_DOC_CHARS = 262144;
  var MAX_FRAMEWORK_CHARS = 262144;
  var MAX_NUMBER = 1e12;
  var FRAMEWORK_FORMAT = "tieuchi-framework/1";
  // Couch role of each part (domain::workflow::Role).
  var ROLE_OF_PART = { commune: "xa", reviewer: "tham_tra", appraiser: "tham_dinh", recogniser: "cong_nhan" };
  var PART_LABEL = {
    commune: ["xã tự đánh giá", "commune self-assessment"],
    reviewer: ["thẩm tra", "review"],
    appraiser: ["thẩm định", "appraisal"],
    recogniser: ["công nhận", "recognition"]
  };
  var STAGE_LABEL = {
    draft: "Bản nháp", submitted: "Đã nộp", reviewed: "Đã thẩm tra", appraised: "Đã thẩm định",
    recognised: "Đã công nhận"
  };

  function own(o, k) { return o !== null && typeof o === "object" && Object.prototype.hasOwnProperty.call(o, k); }
  function isObject(v) { return v !== null && typeof v === "object" && !Array.isArray(v); }
  function isString(v) { return typeof v === "string"; }
  function forbid(vi, en) { throw ({ forbidden: vi + " / " + en }); }
  function q(s) { return "“" + s + "”"; }
  function trim(s) { return String(s).replace(/^\s+|\s+$/g, ""); }
  function stageVi(s) { return own(STAGE_LABEL, s) ? q(STAGE_LABEL[s]) + " (" + s + ")" : q(s); }
  function stageEn(s) { return q(s); }

  // 1. Nesting depth, with an explicit stack (a deep document must not exhaust the engine's).
  (function () {
    var values = [newDoc], depths = [1], v, d, k, i;
    while (values.length > 0) {
      v = values.pop();
      d = depths.pop();
      if (v === null || typeof v !== "object") { continue; }
      if (d > MAX_DEPTH) {
        forbid("Tài liệu lồng nhau quá " + MAX_DEPTH + " tầng", "The document is nested deeper than " + MAX_DEPTH + " levels");
      }
      if (Array.isArray(v)) {
        for (i = 0; i < v.length; i++) { values.push(v[i]); depths.push(d + 1); }
      } else {
        for (k in v) { if (own(v, k)) { values.push(v[k]); depths.push(d + 1); } }
      }
    }
  })();

  // 2. Design documents are checked by CouchDB itself (a db admin only) and _local never arrives.
  var id = String(newDoc._id);
  if (id.indexOf("_design/") === 0 || id.indexOf("_local/") === 0) { return; }

  // 3. Size and attachments.
  // Counted without the revision history the server adds (_revisions) and, for a framework,
  // without its text (limited on its own below: escaping may double its length here).
  var measured = {}, k0;
  for (k0 in newDoc) {
    if (own(newDoc, k0) && k0 !== "_revisions" && !(k0 === "text" && id.indexOf("framework:") === 0)) {
      measured[k0] = newDoc[k0];
    }
  }
  var size = JSON.stringify(measured).length;
  if (size > MAX_DOC_CHARS) {
    forbid("Tài liệu quá lớn: " + size + " ký tự, tối đa " + MAX_DOC_CHARS,
      "The document is too large: " + size + " characters, at most " + MAX_DOC_CHARS);
  }
  if (newDoc._attachments !== undefined) {
    forbid("Không nhận tệp đính kèm (_attachments) trên tài liệu này",
      "Attachments (_attachments) are not accepted on this document");
  }

  var roles = (userCtx && Array.isArray(userCtx.roles)) ? userCtx.roles : [];
  var me = userCtx && isString(userCtx.name) ? userCtx.name : null;
  function has(role) { return roles.indexOf(role) !== -1; }
  var isAdmin = has("_admin");
  if (!isAdmin && !me) {
    throw ({ unauthorized: "Cần đăng nhập để ghi dữ liệu / You must log in to write" });
  }
  var inProvince = isAdmin || has("tinh_" + PROVINCE) || has("tinh_" + PROVINCE + "_admin");

  // 3b. Only interactive writes from members. For an ordinary write CouchDB validates against
  // the very revision the write names (oldDoc._rev === newDoc._rev) or, for a create, names none.
  // A replication-style write (new_edits:false) carries its own new revision and history
  // (_revisions), and CouchDB hands the guard the nearest ancestor it has on disk, or nothing:
  // a member could graft a branch onto an old draft revision, or start a fresh one, with a higher
  // generation than the stored dossier, and that leaf would win. pouchdb-server copies the
  // stored document's own history into newDoc._revisions (the same object), so it never matches.
  if (!isAdmin && isString(newDoc._rev) && isObject(newDoc._revisions) &&
    !(oldDoc && oldDoc._revisions === newDoc._revisions) && !(oldDoc && oldDoc._rev === newDoc._rev)) {
    forbid("Không nhận bản ghi kiểu nhân bản (new_edits:false, phiên bản " + q(newDoc._rev) + ") từ tài khoản thường",
      "Replication-style writes (new_edits:false, revision " + q(newDoc._rev) + ") are accepted only from a server admin");
  }

  // 4. Deletes: any truthy _deleted is a delete to the server. A framework is never deleted:
  // re-created later without the tombstone's _rev, CouchDB 3 (and pouchdb-server always) hands
  // the guard no old document, so its id would be free for other content.
  if (newDoc._deleted) {
    if (id.indexOf("framework:") === 0) {
      forbid("Không được xoá bộ tiêu chí (mã của nó sẽ có thể bị ghi lại với nội dung khác); quản trị máy chủ có thể ghi đè thay vì xoá",
        "Framework documents cannot be deleted (their id could then be re-created with other content); a server admin may overwrite one instead");
    }
    if (!(isAdmin || (has("quan_tri") && inProvince))) {
      forbid("Chỉ quản trị viên được xoá tài liệu", "Only administrators may delete documents");
    }
    return;
  }

  // 5. Province membership.
  if (!inProvince) {
    forbid("Tài khoản không có quyền với dữ liệu tỉnh " + PROVINCE,
      "This account has no access to the data of province " + PROVINCE);
  }

  // 6. Kind of document.
  var kind;
  if (id.indexOf("assessment:") === 0) { kind = "assessment"; }
  else if (id.indexOf("framework:") === 0) { kind = "framework"; }
  else {
    forbid("Mã tài liệu phải bắt đầu bằng “assessment:” hoặc “framework:”",
      "The _id must start with “assessment:” or “framework:”");
  }
  if (newDoc.type !== kind) {
    forbid("Loại tài liệu (type) không khớp với mã tài liệu", "type does not match the _id prefix");
  }

  // A deleted former revision (CouchDB passes the tombstone when the write names its _rev)
  // counts as no document for assessments; for frameworks it still counts.
  var old = oldDoc && !oldDoc._deleted ? oldDoc : null;

  // 7. Framework documents.
  if (kind === "framework") {
    if (oldDoc && !isAdmin) {
      forbid("Bộ tiêu chí " + q(id.slice(10)) + " đã có (hoặc đã bị xoá) trên máy chủ, không được ghi lại",
        "Framework " + q(id.slice(10)) + " exists (or was deleted) on the server: framework documents are create-only");
    }
    checkFramework(newDoc.text);
    return;
  }

  // 8. Assessments.
  var a = newDoc.assessment;
  if (!isObject(a) || !isString(a.id) || a.id === "") {
    forbid("Thiếu nội dung bản đánh giá (assessment.id)", "Missing assessment body (assessment.id)");
  }
  if (id !== "assessment:" + a.id) {
    forbid("Mã tài liệu phải là “assessment:” + mã bản đánh giá", "_id must be “assessment:” + assessment.id");
  }
  if (KNOWN_SCHEMA_VERSIONS.indexOf(newDoc.schema_version) === -1) {
    forbid("Phiên bản dữ liệu (schema_version) không được hỗ trợ, hãy cập nhật ứng dụng",
      "Unsupported schema_version; update the app");
  }
  var province = isObject(newDoc.scope) ? newDoc.scope.province : undefined;
  var oldProvince = old && isObject(old.scope) ? old.scope.province : undefined;
  if (old && oldProvince !== province) {
    forbid("Không được đổi tỉnh (scope.province) của bản đánh giá", "scope.province must not change");
  }
  if (province !== PROVINCE) {
    forbid("Bản đánh giá thuộc tỉnh khác: scope.province phải là " + PROVINCE,
      "The assessment belongs to another province: scope.province must be " + PROVINCE);
  }
  var oldA = old && isObject(old.assessment) ? old.assessment : null;
  checkCommune(a.commune, oldA ? oldA.commune : undefined);

  // 9. The workflow.
  var wf = a.workflow === undefined ? {} : a.workflow;
  if (!isObject(wf)) { forbid("workflow phải là một đối tượng", "workflow must be an object"); }
  var oldWf = oldA && isObject(oldA.workflow) ? oldA.workflow : {};
  if (wf.audit !== undefined && !Array.isArray(wf.audit)) {
    forbid("Nhật ký xử lý hồ sơ (workflow.audit) phải là một danh sách", "workflow.audit must be a list");
  }
  var audit = Array.isArray(wf.audit) ? wf.audit : [];
  var oldAudit = Array.isArray(oldWf.audit) ? oldWf.audit : [];
  var stage = wf.stage === undefined ? FIRST_STAGE : wf.stage;
  var oldStage = oldWf.stage === undefined ? FIRST_STAGE : oldWf.stage;
  if (!isStage(stage)) {
    forbid("Trạng thái hồ sơ (workflow.stage) " + q(stage) + " không hợp lệ", "Unknown workflow.stage " + q(stage));
  }

  // Append-only: every old event is still there (as a multiset of canonical JSON), the rest are
  // new ("fresh"), kept with their index for the messages.
  var pool = {}, i, key;
  for (i = 0; i < audit.length; i++) {
    key = canon(audit[i]);
    pool[key] = (own(pool, key) ? pool[key] : 0) + 1;
  }
  for (i = 0; i < oldAudit.length; i++) {
    key = canon(oldAudit[i]);
    if (!own(pool, key) || pool[key] === 0) {
      forbid("Không được xoá hay sửa nhật ký xử lý hồ sơ (sự kiện thứ " + (i + 1) + " đã lưu bị mất hoặc bị sửa)",
        "The audit trail is append-only (stored event " + (i + 1) + " is missing or changed)");
    }
    pool[key] -= 1;
  }
  var fresh = [];
  for (i = 0; i < audit.length; i++) {
    key = canon(audit[i]);
    if (pool[key] > 0) { pool[key] -= 1; fresh.push(i); }
  }

  var holderPart = holderOf(oldStage);
  var ev, at, tr, part, other;
  var cur = oldStage;
  for (i = 0; i < fresh.length; i++) {
    ev = audit[fresh[i]];
    at = "workflow.audit[" + fresh[i] + "]";
    checkEventShape(ev, at);
    if (!isAdmin && ev.account !== me) {
      forbid(at + ": sự kiện mới phải mang tài khoản đang ghi (account = " + q(me) + ")",
        at + ": a new event must carry the writing account (account = " + q(me) + ")");
    }
    if (ev.kind.type === "review") {
      requireHolder(at + " (nhận xét chỉ tiêu " + q(ev.kind.indicator) + ")",
        at + " (comment on indicator " + q(ev.kind.indicator) + ")");
      requireSignerName(ev, at);
    } else if (ev.kind.type === "condition") {
      requireConditionWindow(at + " (điều kiện " + q(ev.kind.id) + ")", at + " (condition " + q(ev.kind.id) + ")");
      requireSignerName(ev, at);
    } else if (ev.kind.type === "stage") {
      if (ev.kind.from !== cur) {
        forbid(at + ": bước " + q(ev.kind.step.type) + " ghi từ trạng thái " + stageVi(ev.kind.from) +
          " nhưng hồ sơ đang ở " + stageVi(cur),
          at + ": step " + q(ev.kind.step.type) + " claims to start from " + stageEn(ev.kind.from) +
          " but the dossier is at " + stageEn(cur));
      }
      tr = transitionOf(ev.kind.step.type, cur);
      if (!tr) {
        forbid(at + ": không thực hiện được bước " + q(ev.kind.step.type) + " ở trạng thái " + stageVi(cur),
          at + ": step " + q(ev.kind.step.type) + " is not allowed at stage " + stageEn(cur));
      }
      if (ev.kind.to !== tr.to) {
        forbid(at + ": bước " + q(ev.kind.step.type) + " từ " + stageVi(cur) + " dẫn tới " + stageVi(tr.to) +
          ", không phải " + stageVi(ev.kind.to),
          at + ": step " + q(ev.kind.step.type) + " from " + stageEn(cur) + " leads to " + stageEn(tr.to) +
          ", not " + stageEn(ev.kind.to));
      }
      part = tr.part;
      if (ev.role !== undefined && ev.role !== null && ev.role !== part) {
        forbid(at + ": vai trò ghi là " + q(ev.role) + " nhưng bước này thuộc phần " + q(PART_LABEL[part][0]) + " (" + part + ")",
          at + ": role says " + q(ev.role) + " but this step belongs to the " + q(PART_LABEL[part][1]) + " part (" + part + ")");
      }
      if (ev.decision !== undefined && ev.decision !== null) {
        if (ev.kind.step.type !== "recognise" || !isObject(ev.decision) || !isString(ev.decision.number) ||
            trim(ev.decision.number) === "" || ev.decision.number.length > 120 || !isString(ev.decision.date) ||
            !/^\d{4}-\d{2}-\d{2}$/.test(ev.decision.date)) {
          forbid(at + ": quyết định công nhận chỉ ghi ở bước công nhận, có số (≤ 120 ký tự) và ngày YYYY-MM-DD",
            at + ": a recognition decision belongs to the recognise step, with a number (≤ 120 characters) and a YYYY-MM-DD date");
        }
      }
      if (ev.kind.step.type === RETURN_STEP && (!isString(ev.kind.step.reason) || trim(ev.kind.step.reason) === "")) {
        forbid(at + ": trả lại hồ sơ phải ghi lý do", at + ": a return needs a reason");
      }
      if (!isAdmin) {
        if (!has(ROLE_OF_PART[part])) {
          forbid(at + ": tài khoản không có vai trò " + q(PART_LABEL[part][0]) + " (" + ROLE_OF_PART[part] + ") để ký bước " + q(ev.kind.step.type),
            at + ": this account lacks the role " + q(PART_LABEL[part][1]) + " (" + ROLE_OF_PART[part] + ") for step " + q(ev.kind.step.type));
        }
        requireSigner(ev, at);
        other = otherPartOf(me, part);
        if (other) {
          forbid(at + ": tài khoản " + q(me) + " đã ký phần " + q(PART_LABEL[other][0]) + " của hồ sơ này; mỗi tài khoản chỉ ký một phần",
            at + ": account " + q(me) + " already signed the " + q(PART_LABEL[other][1]) + " part of this dossier; one account signs one part");
        }
      }
      cur = tr.to;
    }
  }
  if (stage !== cur) {
    forbid("Trạng thái hồ sơ (workflow.stage) là " + stageVi(stage) + " nhưng các bước ký dẫn tới " + stageVi(cur),
      "workflow.stage is " + stageEn(stage) + " but the signed steps lead to " + stageEn(cur));
  }

  // 10. What may change at the stored stage.
  if (!isAdmin && oldStage !== FIRST_STAGE) { checkFrozen(); }
  checkReviews();
  checkConditions();
  checkSummary();
  return;

  // ---- helpers (function declarations are hoisted) ----

  // JSON with object keys sorted, so a value re-serialised with another key order still matches.
  // Recursion is safe here: the depth is bounded above.
  function canon(v) {
    var j, keys, out;
    if (Array.isArray(v)) {
      out = [];
      for (j = 0; j < v.length; j++) { out.push(canon(v[j])); }
      return "[" + out.join(",") + "]";
    }
    if (isObject(v)) {
      keys = Object.keys(v).sort();
      out = [];
      for (j = 0; j < keys.length; j++) {
        if (v[keys[j]] !== undefined) { out.push(JSON.stringify(keys[j]) + ":" + canon(v[keys[j]])); }
      }
      return "{" + out.join(",") + "}";
    }
    return JSON.stringify(v);
  }

  // As canon, but absent, null, "", [] and {} are all "nothing" (a serialiser may skip empty fields).
  function content(v) {
    var j, keys, out, c;
    if (Array.isArray(v)) {
      out = [];
      for (j = 0; j < v.length; j++) { out.push(content(v[j])); }
      return out.length ? "[" + out.join(",") + "]" : "";
    }
    if (isObject(v)) {
      keys = Object.keys(v).sort();
      out = [];
      for (j = 0; j < keys.length; j++) {
        c = content(v[keys[j]]);
        if (c !== "") { out.push(JSON.stringify(keys[j]) + ":" + c); }
      }
      return out.length ? "{" + out.join(",") + "}" : "";
    }
    if (v === undefined || v === null || v === "") { return ""; }
    return JSON.stringify(v);
  }

  function isStage(s) {
    var step, from;
    if (s === FIRST_STAGE) { return true; }
    for (step in TRANSITIONS) {
      if (!own(TRANSITIONS, step)) { continue; }
      for (from in TRANSITIONS[step]) {
        if (own(TRANSITIONS[step], from) && (from === s || TRANSITIONS[step][from].to === s)) { return true; }
      }
    }
    return false;
  }
  function transitionOf(step, from) {
    return own(TRANSITIONS, step) && own(TRANSITIONS[step], from) ? TRANSITIONS[step][from] : null;
  }
  function holderOf(s) {
    var t = transitionOf(RETURN_STEP, s);
    return t ? t.part : null;
  }
  function partOfEvent(e) {
    var t;
    if (!isObject(e) || !isObject(e.kind) || e.kind.type !== "stage") { return null; }
    t = isObject(e.kind.step) ? transitionOf(e.kind.step.type, e.kind.from) : null;
    if (t) { return t.part; }
    return own(ROLE_OF_PART, e.role) ? e.role : null;
  }
  // A part other than `part` that `account` signed anywhere in this dossier's audit.
  function otherPartOf(account, part) {
    var j, p;
    for (j = 0; j < audit.length; j++) {
      if (!isObject(audit[j]) || audit[j].account !== account) { continue; }
      p = partOfEvent(audit[j]);
      if (p && p !== part) { return p; }
    }
    return null;
  }

  function signerOf(account, at) {
    var s = own(SIGNERS, account) ? SIGNERS[account] : null;
    if (!isObject(s) || !isString(s.name) || trim(s.name) === "") {
      forbid(at + ": tài khoản " + q(account) + " không có trong danh sách người ký của máy chủ (quản trị: chạy scripts/couchdb-setup --users với họ tên và chức vụ)",
        at + ": account " + q(account) + " is not in the server's signer list (administrator: run scripts/couchdb-setup --users with full name and title)");
    }
    return s;
  }
  function requireSignerName(e, at) {
    var s;
    if (isAdmin) { return; }
    s = signerOf(me, at);
    if (trim(e.by.name) !== trim(s.name)) {
      forbid(at + ": người ký phải là " + q(trim(s.name)) + " (tên của tài khoản " + q(me) + "), không phải " + q(e.by.name),
        at + ": the signer must be " + q(trim(s.name)) + " (the name of account " + q(me) + "), not " + q(e.by.name));
    }
  }
  function requireSigner(e, at) {
    var s = signerOf(me, at);
    requireSignerName(e, at);
    if (trim(e.by.title) !== trim(isString(s.title) ? s.title : "")) {
      forbid(at + ": chức vụ người ký phải là " + q(trim(s.title)) + ", không phải " + q(e.by.title),
        at + ": the signer's title must be " + q(trim(s.title)) + ", not " + q(e.by.title));
    }
  }
  // Comments and overrides: while the stored stage has a holder, by an account with its role.
  function requireHolder(vi, en) {
    if (isAdmin) { return; }
    if (!holderPart) {
      forbid(vi + ": chỉ ghi nhận xét khi hồ sơ đang được thẩm tra, thẩm định hoặc chờ công nhận, không phải ở trạng thái " + stageVi(oldStage),
        en + ": comments are written only while the dossier is under review, appraisal or recognition, not at stage " + stageEn(oldStage));
    }
    if (!has(ROLE_OF_PART[holderPart])) {
      forbid(vi + ": ở trạng thái " + stageVi(oldStage) + " chỉ tài khoản có vai trò " + q(PART_LABEL[holderPart][0]) + " (" + ROLE_OF_PART[holderPart] + ") được ghi nhận xét",
        en + ": at stage " + stageEn(oldStage) + " only an account with the role " + q(PART_LABEL[holderPart][1]) + " (" + ROLE_OF_PART[holderPart] + ") may write comments");
    }
  }
  function requireConditionWindow(vi, en) {
    if (isAdmin) { return; }
    if (holderPart !== CONDITIONS_PART) {
      forbid(vi + ": điều kiện công nhận chỉ được xác nhận khi hồ sơ chờ công nhận, không phải ở trạng thái " + stageVi(oldStage),
        en + ": recognition conditions are confirmed only while the dossier awaits recognition, not at stage " + stageEn(oldStage));
    }
    if (!has(ROLE_OF_PART[CONDITIONS_PART])) {
      forbid(vi + ": chỉ tài khoản có vai trò " + q(PART_LABEL[CONDITIONS_PART][0]) + " (" + ROLE_OF_PART[CONDITIONS_PART] + ") được xác nhận điều kiện công nhận",
        en + ": only an account with the role " + q(PART_LABEL[CONDITIONS_PART][1]) + " (" + ROLE_OF_PART[CONDITIONS_PART] + ") may confirm recognition conditions");
    }
  }

  function badShape(at, vi, en) { forbid(at + ": " + vi, at + ": " + en); }
  function checkPerson(p, at) {
    if (!isObject(p) || !isString(p.name) || (p.title !== undefined && !isString(p.title))) {
      badShape(at, "người ký (by) phải có họ tên và chức vụ dạng chữ", "the signer (by) needs a name and title as text");
    }
  }
  // What the app can read back (domain::workflow::AuditEvent): a malformed event would make
  // the record unreadable on every tablet.
  function checkEventShape(e, at) {
    var kd;
    if (!isObject(e)) { badShape(at, "sự kiện không hợp lệ", "not an event object"); }
    if (typeof e.at !== "number" || !isFinite(e.at)) { badShape(at, "thiếu thời điểm (at)", "missing time (at)"); }
    checkPerson(e.by, at + ".by");
    if (e.role !== undefined && e.role !== null && !own(ROLE_OF_PART, e.role)) {
      badShape(at, "vai trò (role) " + q(e.role) + " không hợp lệ", "unknown role " + q(e.role));
    }
    if (e.account !== undefined && e.account !== null && !isString(e.account)) {
      badShape(at, "tài khoản (account) phải là chữ", "account must be text");
    }
    kd = e.kind;
    if (!isObject(kd)) { badShape(at, "thiếu loại sự kiện (kind)", "missing kind"); }
    if (kd.type === "stage") {
      if (!isStage(kd.from) || !isStage(kd.to)) {
        badShape(at, "trạng thái from/to không hợp lệ", "from/to is not a stage");
      }
      if (!isObject(kd.step) || !own(TRANSITIONS, kd.step.type)) {
        badShape(at, "bước (step) không hợp lệ", "unknown step");
      }
      if (kd.step.reason !== undefined && kd.step.reason !== null && !isString(kd.step.reason)) {
        badShape(at, "lý do phải là chữ", "the reason must be text");
      }
    } else if (kd.type === "review") {
      if (!isString(kd.indicator) || !isString(kd.comment) ||
        (kd.override_met !== undefined && kd.override_met !== null && typeof kd.override_met !== "boolean")) {
        badShape(at, "nhận xét cần indicator, comment (chữ) và override_met (đúng/sai/trống)",
          "a review needs indicator, comment (text) and override_met (boolean or null)");
      }
    } else if (kd.type === "condition") {
      if (!isString(kd.id) || typeof kd.met !== "boolean") {
        badShape(at, "điều kiện cần id (chữ) và met (đúng/sai)", "a condition needs id (text) and met (boolean)");
      }
    } else if (kd.type === "framework") {
      if (!isString(kd.from) || !isString(kd.to)) {
        badShape(at, "đổi bộ tiêu chí cần from và to (chữ)", "a framework change needs from and to (text)");
      }
    } else {
      badShape(at, "loại sự kiện " + q(kd.type) + " không hợp lệ", "unknown event kind " + q(kd.type));
    }
  }

  // Folded name of a province: lower case, trimmed, single spaces, without "tỉnh " / "thành phố ".
  function foldProvince(s) {
    var f = trim(String(s).toLowerCase()).replace(/\s+/g, " ");
    if (f.indexOf("tỉnh ") === 0) { f = f.slice(5); }
    else if (f.indexOf("thành phố ") === 0) { f = f.slice(10); }
    return trim(f);
  }
  function checkCommune(c, oldC) {
    var j, names = [], codes = [], m;
    if (!isObject(c) || !isString(c.province) || !isString(c.name)) {
      forbid("Thiếu xã hoặc tỉnh của bản đánh giá (assessment.commune)", "Missing commune or province (assessment.commune)");
    }
    for (j = 0; j < PROVINCE_NAMES.length; j++) {
      names.push(foldProvince(PROVINCE_NAMES[j]));
    }
    if (names.indexOf(foldProvince(c.province)) === -1) {
      forbid("Xã " + q(c.name) + " thuộc " + q(c.province) + ", không thuộc tỉnh " + PROVINCE + " (" + PROVINCE_NAMES.join(", ") + ") (assessment.commune.province)",
        "Commune " + q(c.name) + " is in " + q(c.province) + ", not in province " + PROVINCE + " (" + PROVINCE_NAMES.join(", ") + ") (assessment.commune.province)");
    }
    if (c.code !== undefined && c.code !== null && !isString(c.code)) {
      forbid("Mã xã (assessment.commune.code) phải là chữ", "assessment.commune.code must be text");
    }
    if (isAdmin) { return; }
    for (j = 0; j < roles.length; j++) {
      m = /^xa_(.+)$/.exec(String(roles[j]));
      if (m) { codes.push(m[1]); }
    }
    if (codes.length === 0) { return; }
    if (codes.indexOf(c.code) === -1 || (oldC !== undefined && (!isObject(oldC) || codes.indexOf(oldC.code) === -1))) {
      forbid("Tài khoản chỉ được ghi hồ sơ của xã có mã " + codes.join(", ") + " (assessment.commune.code là " + q(isObject(oldC) && codes.indexOf(oldC.code) === -1 ? oldC.code : c.code) + ")",
        "This account may only write dossiers of commune code " + codes.join(", ") + " (assessment.commune.code is " + q(isObject(oldC) && codes.indexOf(oldC.code) === -1 ? oldC.code : c.code) + ")");
    }
  }

  // The roll-up summary (domain::rollup::Summary): optional (older releases send none), and when
  // present exactly its shape, repeating the record's own set, round, province, commune, group
  // and stage; what a recognised dossier met never changes. The criteria met are the app's
  // scoring: the guard cannot score, so only their shape is checked.
  function checkSummary() {
    var s = newDoc.summary, keys = ["v", "set", "round", "province", "commune", "group", "stage", "met", "criteria", "all_met", "provisional"];
    var j, k, seen = {}, code, oldS;
    if (s === undefined) { return; }
    // Carried over unchanged from the stored document: a release that does not know the summary
    // keeps it as an unknown field and sends it back with its own edits. It was checked when it
    // was written; refusing it now would stop that tablet's every push. The views read the set,
    // round, province, group and stage from the record itself, so only its criteria met go stale,
    // until a current release sends the record again.
    if (old && isObject(old.summary) && canon(s) === canon(old.summary)) { return; }
    function bad(field, vi, en) {
      forbid("Bản tóm tắt (summary." + field + ") không đúng: " + vi, "The summary (summary." + field + ") is wrong: " + en);
    }
    if (!isObject(s)) { bad("", "phải là một đối tượng", "it must be an object"); }
    for (k in s) {
      if (own(s, k) && keys.indexOf(k) === -1) { bad(k, "trường không có trong mẫu", "not a field of the summary"); }
    }
    if (s.v !== 1) { bad("v", "phiên bản phải là 1", "the version must be 1"); }
    if (s.set !== a.framework_id + "@" + a.framework_version) {
      bad("set", "phải là bộ tiêu chí của bản đánh giá " + q(a.framework_id + "@" + a.framework_version),
        "it must be the assessment's set " + q(a.framework_id + "@" + a.framework_version));
    }
    if (s.round !== a.round) { bad("round", "phải là năm đánh giá " + a.round, "it must be the round " + a.round); }
    if (s.province !== a.commune.province) {
      bad("province", "phải là tỉnh của xã " + q(a.commune.province), "it must be the commune's province " + q(a.commune.province));
    }
    code = isString(a.commune.code) ? a.commune.code : null;
    if ((s.commune === undefined ? null : s.commune) !== code) {
      bad("commune", "phải là mã xã " + q(String(code)), "it must be the commune code " + q(String(code)));
    }
    if (s.group !== a.dimension_value) {
      bad("group", "phải là nhóm xã / vùng " + q(a.dimension_value), "it must be the commune group or region " + q(a.dimension_value));
    }
    if (s.stage !== stage) { bad("stage", "phải là trạng thái hồ sơ " + stageVi(stage), "it must be the dossier's stage " + stageEn(stage)); }
    if (!Array.isArray(s.criteria) || s.criteria.length < 1 || s.criteria.length > 500) {
      bad("criteria", "phải là danh sách mã các tiêu chí của bộ (1 đến 500 mã)", "it must be the list of the set's criterion ids (1 to 500)");
    }
    for (j = 0; j < s.criteria.length; j++) {
      if (!isString(s.criteria[j]) || s.criteria[j] === "" || s.criteria[j].length > 40 || own(seen, s.criteria[j])) {
        bad("criteria[" + j + "]", "mã tiêu chí phải là chữ (1–40 ký tự), không lặp lại", "a criterion id must be text (1–40 characters), not repeated");
      }
      seen[s.criteria[j]] = 1;
    }
    if (!Array.isArray(s.met) || s.met.length > s.criteria.length) {
      bad("met", "phải là danh sách mã tiêu chí đạt, không nhiều hơn số tiêu chí", "it must be a list of the criteria met, no longer than the number of criteria");
    }
    for (j = 0; j < s.met.length; j++) {
      if (!isString(s.met[j]) || seen[s.met[j]] !== 1) {
        bad("met[" + j + "]", "phải là một mã trong summary.criteria, không lặp lại", "it must be an id of summary.criteria, not repeated");
      }
      seen[s.met[j]] = 2;
    }
    if (s.all_met !== (s.met.length === s.criteria.length)) {
      bad("all_met", "phải đúng khi và chỉ khi mọi tiêu chí đều đạt", "it must be true exactly when every criterion is met");
    }
    if (typeof s.provisional !== "boolean") { bad("provisional", "phải là đúng/sai", "it must be true or false"); }
    oldS = old && isObject(old.summary) ? old.summary : null;
    if (!isAdmin && oldStage === "recognised" && oldS && content(oldS.met) !== content(s.met)) {
      bad("met", "hồ sơ đã công nhận: các tiêu chí đạt không được thay đổi", "the dossier is recognised: the criteria met cannot change");
    }
  }

  // Outside a draft, everything but the workflow, the revision and the edit time stays.
  function checkFrozen() {
    var names = unionKeys(a, oldA), j, k, subs, s, where, vi;
    for (j = 0; j < names.length; j++) {
      k = names[j];
      if (k === "workflow" || k === "rev" || k === "updated_at") { continue; }
      if (content(a[k]) === content(oldA[k])) { continue; }
      where = "assessment." + k;
      vi = "";
      if (isObject(a[k]) || isObject(oldA[k])) {
        subs = unionKeys(a[k], oldA[k]);
        for (s = 0; s < subs.length; s++) {
          if (content(own(a[k], subs[s]) ? a[k][subs[s]] : undefined) !==
            content(own(oldA[k], subs[s]) ? oldA[k][subs[s]] : undefined)) {
            where += "." + subs[s];
            if (k === "entries") { vi = " (chỉ tiêu " + q(subs[s]) + ")"; }
            break;
          }
        }
      }
      forbid("Hồ sơ ở trạng thái " + stageVi(oldStage) + " không được sửa nội dung: " + where + vi +
        " đã thay đổi (trả lại hồ sơ về bản nháp trước khi sửa)",
        "At stage " + stageEn(oldStage) + " the content is frozen: " + where +
        " changed (the dossier must be returned to draft first)");
    }
  }
  function unionKeys(x, y) {
    var seen = {}, out = [], kk;
    for (kk in x) { if (own(x, kk) && !own(seen, kk)) { seen[kk] = true; out.push(kk); } }
    for (kk in y) { if (own(y, kk) && !own(seen, kk)) { seen[kk] = true; out.push(kk); } }
    return out.sort();
  }

  function checkReviews() {
    var rv = wf.reviews === undefined ? {} : wf.reviews;
    var oldRv = isObject(oldWf.reviews) ? oldWf.reviews : {};
    var k, r, at;
    if (!isObject(rv)) { forbid("workflow.reviews phải là một đối tượng", "workflow.reviews must be an object"); }
    for (k in oldRv) {
      if (own(oldRv, k) && !own(rv, k) && !isAdmin) {
        forbid("Không được xoá nhận xét của chỉ tiêu " + q(k) + " (workflow.reviews)",
          "The review of indicator " + q(k) + " must not be removed (workflow.reviews)");
      }
    }
    for (k in rv) {
      if (!own(rv, k) || (own(oldRv, k) && canon(rv[k]) === canon(oldRv[k]))) { continue; }
      at = "workflow.reviews." + k;
      r = rv[k];
      if (!isObject(r) || !isString(r.comment) || typeof r.at !== "number" ||
        (r.override_met !== undefined && r.override_met !== null && typeof r.override_met !== "boolean") ||
        (r.account !== undefined && r.account !== null && !isString(r.account))) {
        badShape(at, "nhận xét cần comment, by, at và override_met (đúng/sai/trống)",
          "a review needs comment, by, at and override_met (boolean or null)");
      }
      checkPerson(r.by, at + ".by");
      requireHolder("Nhận xét chỉ tiêu " + q(k) + " (" + at + ")", "Review of indicator " + q(k) + " (" + at + ")");
      if (!isAdmin && r.account !== me) {
        forbid(at + ": nhận xét mới hoặc sửa phải mang tài khoản đang ghi (account = " + q(me) + ")",
          at + ": a new or changed review must carry the writing account (account = " + q(me) + ")");
      }
      requireSignerName(r, at);
    }
  }

  function checkConditions() {
    var now = conditionSet(wf.conditions, "workflow.conditions");
    var before = conditionSet(oldWf.conditions, null);
    if (now !== before) {
      requireConditionWindow("Điều kiện công nhận (workflow.conditions)", "Recognition conditions (workflow.conditions)");
    }
  }
  function conditionSet(list, at) {
    var j, out = [];
    if (list === undefined || list === null) { return "[]"; }
    if (!Array.isArray(list)) {
      if (at) { badShape(at, "phải là danh sách mã điều kiện", "must be a list of condition ids"); }
      return "?";
    }
    for (j = 0; j < list.length; j++) {
      if (!isString(list[j])) {
        if (at) { badShape(at, "phải là danh sách mã điều kiện", "must be a list of condition ids"); }
        return "?";
      }
      if (out.indexOf(list[j]) === -1) { out.push(list[j]); }
    }
    return JSON.stringify(out.sort());
  }

  // A framework document's text: a real framework whose id@version is the _id, not nested deeper
  // than MAX_DEPTH (counted on the text before parsing), every number finite and bounded.
  function checkFramework(text) {
    var fw = null, parsed = false, depth = 0, inString = false, c, j, values, paths, v, p, k;
    if (!isString(text) || text === "") {
      forbid("Tài liệu bộ tiêu chí thiếu nội dung (text)", "A framework document needs its JSON text");
    }
    if (text.length > MAX_FRAMEWORK_CHARS) {
      forbid("Bộ tiêu chí quá lớn: " + text.length + " ký tự, tối đa " + MAX_FRAMEWORK_CHARS,
        "The framework is too large: " + text.length + " characters, at most " + MAX_FRAMEWORK_CHARS);
    }
    for (j = 0; j < text.length; j++) {
      c = text.charAt(j);
      if (inString) {
        if (c === "\\") { j++; } else if (c === "\"") { inString = false; }
      } else if (c === "\"") { inString = true; }
      else if (c === "{" || c === "[") {
        depth++;
        if (depth > MAX_DEPTH) {
          forbid("Bộ tiêu chí lồng nhau quá " + MAX_DEPTH + " tầng", "The framework is nested deeper than " + MAX_DEPTH + " levels");
        }
      } else if (c === "}" || c === "]") { depth--; }
    }
    try { fw = JSON.parse(text); parsed = true; } catch (e) { parsed = false; }
    if (!parsed || !isObject(fw)) {
      forbid("Nội dung bộ tiêu chí (text) không phải JSON hợp lệ", "The framework text is not a JSON object");
    }
    if (fw.format !== FRAMEWORK_FORMAT) {
      forbid("Bộ tiêu chí phải có format " + q(FRAMEWORK_FORMAT), "The framework's format must be " + q(FRAMEWORK_FORMAT));
    }
    if (!isString(fw.id) || fw.id === "" || !isString(fw.version) || fw.version === "") {
      forbid("Bộ tiêu chí thiếu id hoặc version", "The framework needs an id and a version");
    }
    if (id !== "framework:" + fw.id + "@" + fw.version) {
      forbid("Mã tài liệu phải là “framework:" + fw.id + "@" + fw.version + "” (id@version của bộ tiêu chí), không phải " + q(id),
        "_id must be “framework:" + fw.id + "@" + fw.version + "” (the framework's id@version), not " + q(id));
    }
    if (!isObject(fw.title) || !isString(fw.title.vi) || fw.title.vi === "") {
      forbid("Bộ tiêu chí thiếu tên (title.vi)", "The framework needs a title (title.vi)");
    }
    if (!Array.isArray(fw.groups) || fw.groups.length === 0) {
      forbid("Bộ tiêu chí thiếu nhóm tiêu chí (groups)", "The framework needs its groups of criteria (groups)");
    }
    for (j = 0; j < fw.groups.length; j++) {
      if (!isObject(fw.groups[j]) || !Array.isArray(fw.groups[j].criteria)) {
        forbid("Bộ tiêu chí: groups[" + j + "] thiếu danh sách tiêu chí (criteria)", "The framework: groups[" + j + "] needs its criteria list");
      }
    }
    values = [fw];
    paths = [""];
    while (values.length > 0) {
      v = values.pop();
      p = paths.pop();
      if (typeof v === "number") {
        if (!isFinite(v) || v > MAX_NUMBER || v < -MAX_NUMBER) {
          forbid("Bộ tiêu chí: số " + String(v) + " tại " + (p || "(gốc)") + " vượt giới hạn ±" + MAX_NUMBER,
            "The framework: the number " + String(v) + " at " + (p || "(root)") + " is not finite or beyond ±" + MAX_NUMBER);
        }
      } else if (Array.isArray(v)) {
        for (k = 0; k < v.length; k++) { values.push(v[k]); paths.push(p + "[" + k + "]"); }
      } else if (isObject(v)) {
        for (k in v) { if (own(v, k)) { values.push(v[k]); paths.push(p ? p + "." + k : k); } }
      }
    }
  }
}
