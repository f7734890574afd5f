data "tencentcloud_audit_cmq_regions" "all" {
}

data "tencentcloud_audit_cos_regions" "all" {
}
