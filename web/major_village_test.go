package web_test

// mjVillage is the demo advisor zn-advisor's village (东城社区); the
// major-matter reports' tests (now in internal/major) and the consultation
// tests use it.
const mjVillage = "621025100001"
