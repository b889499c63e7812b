package store

// SealReviews exposes migration 9's Go step to the tests.
var SealReviews = sealReviews
