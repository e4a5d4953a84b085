// validate_doc_update of _design/guard in a Tiêu chí province database (tieuchi_p<code>): who may write what.
//
// Installed by scripts/couchdb-setup and tests/sync/server.mjs: they drop every line before the
// first line that starts with "function", replace __PROVINCE__ with the province code (e.g. "96")
// and store the rest as the `validate_doc_update` string (pouchdb-server evaluates it as
// `return <source>`, so nothing may precede "function"). Keep it ES5: CouchDB 3 may run
// SpiderMonkey 1.8.5.
//
// Rules (every refusal: {forbidden: "<Vietnamese> / <English>"}; not logged in: {unauthorized: …}):
//  - only `assessment:<assessment.id>` and `framework:<id>@<version>` documents, `type` matching;
//  - assessments: schema_version known, scope.province = this province and never changed;
//  - the writer has role tinh_<code> (or tinh_<code>_admin, the db admins) or is _admin;
//  - deletes only by _admin or role quan_tri; framework documents are create-only;
//  - workflow.audit is append-only (events compared as canonical JSON; order may change);
//  - every new stage event is signed by a writer holding the role of that step
//    (commune → xa, reviewer → tham_tra, appraiser → tham_dinh, recogniser → cong_nhan),
//    and a stage change needs such a new event whose `to` is the new stage.
// Design documents are not checked here (CouchDB and pouchdb-server require a db admin for them
// and do not run VDUs on them); `_local/` documents never reach a VDU.
function (newDoc, oldDoc, userCtx, secObj) {
  var PROVINCE = "__PROVINCE__";
  var KNOWN_SCHEMA_VERSIONS = [3, 4];
  // Couch role required for each part in the procedure (domain::workflow::Role).
  var ROLE_OF_PART = { commune: "xa", reviewer: "tham_tra", appraiser: "tham_dinh", recogniser: "cong_nhan" };
  var PART_LABEL = {
    commune: "xã tự đánh giá / commune self-assessment",
    reviewer: "thẩm tra / review",
    appraiser: "thẩm định / appraisal",
    recogniser: "công nhận / recognition"
  };
  var STAGES = ["draft", "submitted", "reviewed", "appraised", "recognised"];

  var roles = (userCtx && userCtx.roles) || [];
  function has(role) { return roles.indexOf(role) !== -1; }
  function forbid(vi, en) { throw ({ forbidden: vi + " / " + en }); }
  function isObject(v) { return v !== null && typeof v === "object" && !Array.isArray(v); }
  // JSON with object keys sorted, so an event re-serialised with another key order still matches.
  function canon(v) {
    var i, keys, out;
    if (Array.isArray(v)) {
      out = [];
      for (i = 0; i < v.length; i++) { out.push(canon(v[i])); }
      return "[" + out.join(",") + "]";
    }
    if (isObject(v)) {
      keys = Object.keys(v).sort();
      out = [];
      for (i = 0; i < keys.length; i++) {
        if (v[keys[i]] !== undefined) { out.push(JSON.stringify(keys[i]) + ":" + canon(v[keys[i]])); }
      }
      return "{" + out.join(",") + "}";
    }
    return JSON.stringify(v);
  }

  var id = String(newDoc._id);
  if (id.indexOf("_design/") === 0 || id.indexOf("_local/") === 0) { return; }

  var isAdmin = has("_admin");
  if (!isAdmin && !(userCtx && userCtx.name)) {
    throw ({ unauthorized: "Cần đăng nhập để ghi dữ liệu / You must log in to write" });
  }
  var inProvince = isAdmin || has("tinh_" + PROVINCE) || has("tinh_" + PROVINCE + "_admin");

  // A deleted former revision counts as no document (CouchDB passes the tombstone).
  var old = oldDoc && !oldDoc._deleted ? oldDoc : null;

  if (newDoc._deleted === true) {
    if (!(isAdmin || (has("quan_tri") && inProvince))) {
      forbid("Chỉ quản trị viên được xoá tài liệu", "Only administrators may delete documents");
    }
    return;
  }

  if (!inProvince) {
    forbid("Tài khoản không có quyền với dữ liệu tỉnh " + PROVINCE,
      "This account has no access to the data of province " + PROVINCE);
  }

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

  if (kind === "framework") {
    if (old && !isAdmin) {
      forbid("Bộ tiêu chí đã có trên máy chủ, không được sửa", "A framework document is create-only");
    }
    if (typeof newDoc.text !== "string" || newDoc.text === "") {
      forbid("Tài liệu bộ tiêu chí thiếu nội dung (text)", "A framework document needs its JSON text");
    }
    return;
  }

  // Assessment.
  var a = newDoc.assessment;
  if (!isObject(a) || typeof a.id !== "string" || a.id === "") {
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

  var wf = isObject(a.workflow) ? a.workflow : {};
  var oldA = old && isObject(old.assessment) ? old.assessment : {};
  var oldWf = isObject(oldA.workflow) ? oldA.workflow : {};
  var audit = Array.isArray(wf.audit) ? wf.audit : [];
  var oldAudit = Array.isArray(oldWf.audit) ? oldWf.audit : [];
  if (wf.audit !== undefined && !Array.isArray(wf.audit)) {
    forbid("Nhật ký xử lý hồ sơ (workflow.audit) phải là một danh sách", "workflow.audit must be a list");
  }

  // Append-only: every old event is still there (as a multiset), the rest are new.
  var pool = {};
  var i, key;
  for (i = 0; i < audit.length; i++) {
    key = canon(audit[i]);
    pool[key] = (pool[key] || 0) + 1;
  }
  for (i = 0; i < oldAudit.length; i++) {
    key = canon(oldAudit[i]);
    if (!pool[key]) {
      forbid("Không được xoá hay sửa nhật ký xử lý hồ sơ", "The audit trail is append-only");
    }
    pool[key] -= 1;
  }
  var fresh = [];
  for (i = 0; i < audit.length; i++) {
    key = canon(audit[i]);
    if (pool[key]) { pool[key] -= 1; fresh.push(audit[i]); }
  }

  // Who may sign: the part of a step follows domain::workflow::Role::of(step, stage before);
  // a declared `role` must be held too.
  function partOf(step, from) {
    switch (step.type) {
      case "submit": return "commune";
      case "review": return "reviewer";
      case "appraise": return "appraiser";
      case "recognise": return "recogniser";
      case "return":
        if (from === "submitted") { return "reviewer"; }
        if (from === "reviewed") { return "appraiser"; }
        return "recogniser";
      default: return null;
    }
  }
  function requirePart(part) {
    if (!ROLE_OF_PART.hasOwnProperty(part)) {
      forbid("Bước ký có vai trò không hợp lệ", "A stage event names an unknown role");
    }
    if (!isAdmin && !has(ROLE_OF_PART[part])) {
      forbid("Tài khoản không có vai trò “" + PART_LABEL[part].split(" / ")[0] + "” (" + ROLE_OF_PART[part] +
        ") để ký bước này", "This account lacks the role “" + PART_LABEL[part].split(" / ")[1] + "” (" +
        ROLE_OF_PART[part] + ") for this step");
    }
  }
  var stage = wf.stage === undefined ? "draft" : wf.stage;
  var oldStage = oldWf.stage === undefined ? "draft" : oldWf.stage;
  if (STAGES.indexOf(stage) === -1) {
    forbid("Trạng thái hồ sơ không hợp lệ", "Unknown workflow stage");
  }
  var reached = false;
  for (i = 0; i < fresh.length; i++) {
    var ev = fresh[i];
    if (!isObject(ev) || !isObject(ev.kind) || ev.kind.type !== "stage") { continue; }
    if (!isObject(ev.kind.step) || partOf(ev.kind.step, ev.kind.from) === null) {
      forbid("Bước ký không hợp lệ trong nhật ký", "Unknown step in a stage event");
    }
    requirePart(partOf(ev.kind.step, ev.kind.from));
    if (ev.role !== undefined && ev.role !== null) { requirePart(ev.role); }
    if (ev.kind.to === stage) { reached = true; }
  }
  if (stage !== oldStage && !reached) {
    forbid("Đổi trạng thái hồ sơ phải kèm bước ký tương ứng trong nhật ký",
      "A stage change needs a matching signed stage event");
  }
}
