# screenlab — build, demo, test, bench, lint. Needs only Go; anything else
# (staticcheck) is installed into ./bin at a pinned version.

GO          ?= go
BIN         := bin
STATICCHECK := $(BIN)/staticcheck
STATICCHECK_VERSION := v0.7.0
PERSONS     ?= 100000

# The CNN's convolution kernels use Go's SIMD package (AVX2/AVX-512), which
# exists only with this experiment; built without it (plain go build) they
# fall back to SSE assembly and gonum with the same results, bit for bit.
export GOEXPERIMENT ?= simd

.PHONY: all build codec-libs demo test test-race bench lint fmt tidy-check notebooks clean fuzz

all: build

# The version stamped into the binary (screenlab --version, model files,
# reports): the git commit when there is one (go's own VCS stamp is off
# where GOFLAGS has -buildvcs=false).
VERSION ?= $(shell git describe --always --dirty --tags 2>/dev/null || echo devel)
build:
	$(GO) build -ldflags "-X github.com/screenlab/screenlab/internal/buildinfo.version=$(VERSION)" -o $(BIN)/screenlab ./cmd/screenlab

## demo: the main job on the built-in synthetic registry, into out/demo
demo: build
	$(BIN)/screenlab demo --dir out/demo --persons $(PERSONS)

## test: unit, golden, fuzz seed corpora and CLI tests; then the race
## detector on the fast tests; then the R reference cases when the
## project's shared folder is beside the checkout (../shared/reference,
## as in CI); then the notebooks, when Jupyter can be installed (as root
## with apt-get) or is there
REFERENCE ?= ../shared/reference
test: codec-libs
	$(GO) test -timeout 30m ./...
	$(GO) test -race -short ./...
	GOEXPERIMENT= $(GO) test -run 'Gemm|Dot|Conv3|ReluPool|TestContract' ./models/ ./cmd/screenlab/
	@if [ -x $(REFERENCE)/check.sh ]; then $(REFERENCE)/check.sh; \
	else echo "make test: no $(REFERENCE)/check.sh beside this checkout; the R reference cases are not run"; fi
	GO=$(GO) ./notebooks/run.sh --if-possible

## codec-libs: CharLS and OpenJPEG, which screenlab loads at run time for
## JPEG-LS and JPEG 2000 DICOM (Debian libcharls2, libopenjp2-7), installed
## with apt-get when root and missing
CODEC_LIBS := libcharls.so.2 libopenjp2.so.7
codec-libs:
	@missing=""; for l in $(CODEC_LIBS); do ldconfig -p 2>/dev/null | grep -q "$$l" || missing="$$missing $$l"; done; \
	if [ -n "$$missing" ]; then \
	  if [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then \
	    echo "make: installing libcharls2 libopenjp2-7 (for$$missing)"; \
	    DEBIAN_FRONTEND=noninteractive apt-get install -y -q libcharls2 libopenjp2-7 >/dev/null 2>&1 || \
	      { apt-get update -q >/dev/null 2>&1 && DEBIAN_FRONTEND=noninteractive apt-get install -y -q libcharls2 libopenjp2-7 >/dev/null; }; \
	  else echo "make: $$missing not found: JPEG-LS and JPEG 2000 DICOM will not decode (apt-get install libcharls2 libopenjp2-7)"; fi; \
	fi

## fuzz: each fuzz target for FUZZTIME (60s) beyond its seed corpus (which
## make test runs); a crasher is written under the package's testdata/fuzz
FUZZTIME ?= 60s
fuzz:
	@for t in $$(grep -rl --include='*_test.go' '^func Fuzz' . | xargs -n1 dirname | sort -u); do \
	  for f in $$(grep -ho '^func Fuzz[A-Za-z0-9_]*' $$t/*_test.go | cut -c6-); do \
	    echo "fuzz $$t $$f for $(FUZZTIME)"; \
	    $(GO) test $$t -run '^$$' -fuzz "^$$f$$" -fuzztime $(FUZZTIME) || exit 1; \
	  done; \
	done

## notebooks: execute every notebook in notebooks/ (GoNB kernel), failing on
## any cell error; installs Jupyter nbconvert (Debian) and builds GoNB
notebooks:
	GO=$(GO) ./notebooks/run.sh

## bench: Go benchmarks of the hot paths, and the same jobs in R when R is
## installed (prints the ratio)
bench: build
	$(GO) test -run '^$$' -bench . -benchtime 3x ./datasets/ ./datasets/imageio/
	$(GO) test -run '^$$' -bench . -benchtime 1x ./datasets/synth/
	$(GO) test -run '^$$' -bench . -benchtime 3x ./survival/ ./incidence/
	$(GO) test -run '^$$' -bench . -benchtime 2x ./evaluation/...
	$(GO) test -run '^$$' -bench . -skip CNN -benchtime 1x ./models/
	./datasets/testdata/bench_vs_r.sh $(BIN)/screenlab
	./survival/testdata/bench_vs_r.sh $(BIN)/screenlab
	./incidence/testdata/bench_vs_r.sh $(BIN)/screenlab
	./evaluation/testdata/bench_vs_r.sh $(BIN)/screenlab
	./models/testdata/bench_predict.sh $(BIN)/screenlab
	GO=$(GO) ./models/testdata/bench_cnn.sh $(BIN)/screenlab
	GO=$(GO) ./models/onnx/testdata/bench_onnx.sh
	python3 bench/goals.py $(BIN)/screenlab

lint: $(STATICCHECK) tidy-check
	@unformatted=$$(gofmt -l $$(git ls-files '*.go')); \
	if [ -n "$$unformatted" ]; then echo "gofmt would change:"; echo "$$unformatted"; exit 1; fi
	$(GO) vet ./...
	$(STATICCHECK) ./...

tidy-check:
	@cp go.mod /tmp/screenlab.go.mod.bak; cp go.sum /tmp/screenlab.go.sum.bak; \
	$(GO) mod tidy; \
	if ! cmp -s go.mod /tmp/screenlab.go.mod.bak || ! cmp -s go.sum /tmp/screenlab.go.sum.bak; then \
	  echo "go mod tidy changes go.mod/go.sum:"; diff /tmp/screenlab.go.mod.bak go.mod; diff /tmp/screenlab.go.sum.bak go.sum; \
	  cp /tmp/screenlab.go.mod.bak go.mod; cp /tmp/screenlab.go.sum.bak go.sum; exit 1; fi

$(STATICCHECK):
	GOBIN=$(CURDIR)/$(BIN) $(GO) install honnef.co/go/tools/cmd/staticcheck@$(STATICCHECK_VERSION)

fmt:
	gofmt -w $$(git ls-files '*.go')

clean:
	rm -rf $(BIN) out
