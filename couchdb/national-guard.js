// validate_doc_update of _design/readonly in the Tiêu chí national database (tieuchi_national).
//
// The national database is a read-only copy: continuous replications from every province
// database (tieuchi_p<code>, documents of type "assessment") write into it, running with the
// server admin's credentials. Nobody else writes: not a national viewer (role quoc_gia, a
// member), not a province officer. A province's own guard (couchdb/guard.js) already checked
// every document where it was written.
//
// Installed by scripts/couchdb-setup --national like couchdb/guard.js: every line before the
// first line that starts with "function" is dropped and the rest stored as the
// `validate_doc_update` string (pouchdb-server evaluates it as `return <source>`). ES5 only.
// CouchDB does not run validate_doc_update on _local documents (replication checkpoints).
function (newDoc, oldDoc, userCtx, secObj) {
  var roles = (userCtx && userCtx.roles) || [];
  var j;
  for (j = 0; j < roles.length; j++) {
    if (roles[j] === "_admin") { return; }
  }
  throw ({ forbidden: "Cơ sở dữ liệu toàn quốc chỉ đọc: chỉ bản sao từ cơ sở dữ liệu tỉnh được ghi vào / The national database is read-only: only replication from the province databases writes to it" });
}
