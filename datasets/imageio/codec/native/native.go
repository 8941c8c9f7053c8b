//go:build cgo

package native

/*
#cgo LDFLAGS: -ldl
#include <dlfcn.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

// CharLS 2 C API (charls/charls_jpegls_decoder.h), declared here so that
// screenlab builds without its headers; the library is opened at run time.
typedef struct { uint32_t width, height; int32_t bits_per_sample, component_count; } sl_charls_frame_info;
typedef void* (*charls_create_fn)(void);
typedef void (*charls_destroy_fn)(void*);
typedef int32_t (*charls_source_fn)(void*, const void*, size_t);
typedef int32_t (*charls_header_fn)(void*);
typedef int32_t (*charls_info_fn)(const void*, sl_charls_frame_info*);
typedef int32_t (*charls_decode_fn)(const void*, void*, size_t, uint32_t);
typedef const char* (*charls_message_fn)(int32_t);

static void *charls_lib;
static charls_create_fn charls_create;
static charls_destroy_fn charls_destroy;
static charls_source_fn charls_source;
static charls_header_fn charls_header;
static charls_info_fn charls_info;
static charls_decode_fn charls_decode;
static charls_message_fn charls_message;

// sl_probe: whether a library loads (tests of the missing-library error).
static int sl_probe(const char *name) {
	void *h = dlopen(name, RTLD_NOW | RTLD_LOCAL);
	if (!h) return -1;
	dlclose(h);
	return 0;
}

static int sl_charls_open(const char *name) {
	if (charls_lib) return 0;
	void *h = dlopen(name, RTLD_NOW | RTLD_LOCAL);
	if (!h) return -1;
	charls_create = (charls_create_fn)dlsym(h, "charls_jpegls_decoder_create");
	charls_destroy = (charls_destroy_fn)dlsym(h, "charls_jpegls_decoder_destroy");
	charls_source = (charls_source_fn)dlsym(h, "charls_jpegls_decoder_set_source_buffer");
	charls_header = (charls_header_fn)dlsym(h, "charls_jpegls_decoder_read_header");
	charls_info = (charls_info_fn)dlsym(h, "charls_jpegls_decoder_get_frame_info");
	charls_decode = (charls_decode_fn)dlsym(h, "charls_jpegls_decoder_decode_to_buffer");
	charls_message = (charls_message_fn)dlsym(h, "charls_get_error_message");
	if (!charls_create || !charls_destroy || !charls_source || !charls_header || !charls_info || !charls_decode || !charls_message) {
		dlclose(h);
		return -2;
	}
	charls_lib = h;
	return 0;
}

// sl_jpegls decodes a JPEG-LS stream of one component into out (w·h
// samples of 2 bytes when bits > 8, else 1); it returns the CharLS error
// code, or -1 when the frame is not w × h × 1 component, with the
// codestream's frame in info.
static int32_t sl_jpegls(const void *src, size_t n, void *out, size_t outn, uint32_t w, uint32_t h, sl_charls_frame_info *info, const char **msg) {
	void *d = charls_create();
	if (!d) return -3;
	int32_t rc = charls_source(d, src, n);
	if (rc == 0) rc = charls_header(d);
	if (rc == 0) rc = charls_info(d, info);
	if (rc == 0 && (info->width != w || info->height != h || info->component_count != 1)) {
		charls_destroy(d);
		return -1;
	}
	if (rc == 0) {
		size_t need = (size_t)w * h * (info->bits_per_sample > 8 ? 2 : 1);
		if (need != outn) { charls_destroy(d); return -2; }
		rc = charls_decode(d, out, outn, 0);
	}
	if (rc != 0 && msg) *msg = charls_message(rc);
	charls_destroy(d);
	return rc;
}

// OpenJPEG 2 (openjpeg.h), the parts used, declared likewise. The image
// structs are OpenJPEG's public ABI (unchanged since 2.1).
typedef struct {
	uint32_t dx, dy, w, h, x0, y0, prec, bpp, sgnd, resno_decoded, factor;
	int32_t *data;
	uint16_t alpha;
} sl_opj_comp;
typedef struct {
	uint32_t x0, y0, x1, y1, numcomps;
	int32_t color_space;
	sl_opj_comp *comps;
	unsigned char *icc_profile_buf;
	uint32_t icc_profile_len;
} sl_opj_image;
typedef size_t (*opj_read_fn)(void*, size_t, void*);
typedef int64_t (*opj_skip_fn)(int64_t, void*);
typedef int32_t (*opj_seek_fn)(int64_t, void*);
typedef void (*opj_msg_fn)(const char*, void*);

static void *opj_lib;
static void* (*opj_stream_create_p)(size_t, int32_t);
static void (*opj_stream_destroy_p)(void*);
static void (*opj_set_read_p)(void*, opj_read_fn);
static void (*opj_set_skip_p)(void*, opj_skip_fn);
static void (*opj_set_seek_p)(void*, opj_seek_fn);
static void (*opj_set_user_p)(void*, void*, void (*)(void*));
static void (*opj_set_len_p)(void*, uint64_t);
static void* (*opj_create_p)(int32_t);
static void (*opj_destroy_codec_p)(void*);
static void (*opj_default_params_p)(void*);
static int32_t (*opj_setup_p)(void*, void*);
static int32_t (*opj_read_header_p)(void*, void*, sl_opj_image**);
static int32_t (*opj_decode_p)(void*, void*, sl_opj_image*);
static int32_t (*opj_end_p)(void*, void*);
static void (*opj_image_destroy_p)(sl_opj_image*);
static int32_t (*opj_error_handler_p)(void*, opj_msg_fn, void*);

#define SL_SYM(v, name) if (!(*(void**)(&v) = dlsym(h, name))) { dlclose(h); return -2; }
static int sl_opj_open(const char *name) {
	if (opj_lib) return 0;
	void *h = dlopen(name, RTLD_NOW | RTLD_LOCAL);
	if (!h) return -1;
	SL_SYM(opj_stream_create_p, "opj_stream_create")
	SL_SYM(opj_stream_destroy_p, "opj_stream_destroy")
	SL_SYM(opj_set_read_p, "opj_stream_set_read_function")
	SL_SYM(opj_set_skip_p, "opj_stream_set_skip_function")
	SL_SYM(opj_set_seek_p, "opj_stream_set_seek_function")
	SL_SYM(opj_set_user_p, "opj_stream_set_user_data")
	SL_SYM(opj_set_len_p, "opj_stream_set_user_data_length")
	SL_SYM(opj_create_p, "opj_create_decompress")
	SL_SYM(opj_destroy_codec_p, "opj_destroy_codec")
	SL_SYM(opj_default_params_p, "opj_set_default_decoder_parameters")
	SL_SYM(opj_setup_p, "opj_setup_decoder")
	SL_SYM(opj_read_header_p, "opj_read_header")
	SL_SYM(opj_decode_p, "opj_decode")
	SL_SYM(opj_end_p, "opj_end_decompress")
	SL_SYM(opj_image_destroy_p, "opj_image_destroy")
	SL_SYM(opj_error_handler_p, "opj_set_error_handler")
	opj_lib = h;
	return 0;
}

typedef struct { const unsigned char *data; size_t n, pos; char err[256]; } sl_mem;

static size_t sl_read(void *buf, size_t n, void *u) {
	sl_mem *m = u;
	if (m->pos >= m->n) return (size_t)-1;
	if (n > m->n - m->pos) n = m->n - m->pos;
	memcpy(buf, m->data + m->pos, n);
	m->pos += n;
	return n;
}
static int64_t sl_skip(int64_t n, void *u) {
	sl_mem *m = u;
	if (n < 0) { if ((size_t)(-n) > m->pos) n = -(int64_t)m->pos; }
	else if ((size_t)n > m->n - m->pos) n = (int64_t)(m->n - m->pos);
	m->pos += n;
	return n;
}
static int32_t sl_seek(int64_t n, void *u) {
	sl_mem *m = u;
	if (n < 0 || (size_t)n > m->n) return 0;
	m->pos = (size_t)n;
	return 1;
}
static void sl_error(const char *msg, void *u) {
	sl_mem *m = u;
	if (!m->err[0]) { strncpy(m->err, msg, sizeof m->err - 1); }
}

// sl_j2k decodes a JPEG 2000 codestream (J2K, or a JP2 file) of one
// component of w × h into out (w·h int32 samples) after checking the
// header: 0 on success; -1 size or components differ (dims written); -2
// header; -3 decode.
static int sl_j2k(const unsigned char *data, size_t n, int32_t *out, uint32_t w, uint32_t h, uint32_t *dims, char *err) {
	sl_mem m = { data, n, 0, {0} };
	int format = (n >= 12 && data[4] == 'j' && data[5] == 'P') ? 2 : 0; // JP2 box, else a raw codestream
	void *codec = opj_create_p(format);
	if (!codec) return -2;
	opj_error_handler_p(codec, sl_error, &m);
	void *params = calloc(1, 1 << 16); // opj_dparameters_t is ~8 KiB
	if (!params) { opj_destroy_codec_p(codec); return -2; }
	opj_default_params_p(params);
	void *stream = opj_stream_create_p(1 << 16, 1);
	opj_set_read_p(stream, sl_read);
	opj_set_skip_p(stream, sl_skip);
	opj_set_seek_p(stream, sl_seek);
	opj_set_user_p(stream, &m, NULL);
	opj_set_len_p(stream, n);
	sl_opj_image *img = NULL;
	int rc = 0;
	if (!opj_setup_p(codec, params) || !opj_read_header_p(stream, codec, &img)) {
		rc = -2;
	} else {
		uint32_t iw = img->x1 - img->x0, ih = img->y1 - img->y0;
		dims[0] = iw; dims[1] = ih; dims[2] = img->numcomps;
		if (iw != w || ih != h || img->numcomps != 1) {
			rc = -1;
		} else if (!opj_decode_p(codec, stream, img) || !opj_end_p(codec, stream)) {
			rc = -3;
		} else if (img->comps[0].w != w || img->comps[0].h != h || !img->comps[0].data) {
			dims[0] = img->comps[0].w; dims[1] = img->comps[0].h;
			rc = -1;
		} else {
			memcpy(out, img->comps[0].data, (size_t)w * h * sizeof(int32_t));
			dims[3] = img->comps[0].prec;
			dims[4] = img->comps[0].sgnd;
		}
	}
	if (err) strncpy(err, m.err, 255);
	if (img) opj_image_destroy_p(img);
	opj_stream_destroy_p(stream);
	opj_destroy_codec_p(codec);
	free(params);
	return rc;
}
*/
import "C"

import (
	"fmt"
	"strings"
	"sync"
	"unsafe"

	"github.com/screenlab/screenlab/datasets/imageio/codec"
)

const (
	charlsLib = "libcharls.so.2"
	openjpLib = "libopenjp2.so.7"
)

var (
	charlsOnce, openjpOnce sync.Once
	charlsErr, openjpErr   error
)

func openLib(name, pkg string, open func(*C.char) C.int) error {
	cname := C.CString(name)
	defer C.free(unsafe.Pointer(cname))
	switch open(cname) {
	case 0:
		return nil
	case -1:
		return fmt.Errorf("%w: %s could not be loaded (install Debian's %s: apt-get install %s)", codec.ErrNoLibrary, name, pkg, pkg)
	default:
		return fmt.Errorf("%w: %s lacks the functions screenlab calls (want %s)", codec.ErrNoLibrary, name, pkg)
	}
}

// probe reports, as a decoder would, whether library name loads.
func probe(name, pkg string) error {
	return openLib(name, pkg, func(n *C.char) C.int { return C.sl_probe(n) })
}

func decodeJPEGLS(data []byte, f codec.Frame) ([]uint16, error) {
	charlsOnce.Do(func() {
		charlsErr = openLib(charlsLib, "libcharls2", func(n *C.char) C.int { return C.sl_charls_open(n) })
	})
	if charlsErr != nil {
		return nil, charlsErr
	}
	if len(data) == 0 {
		return nil, fmt.Errorf("corrupt JPEG-LS: no data")
	}
	n := f.Rows * f.Cols
	bytesPer := 1
	if f.BitsStored > 8 {
		bytesPer = 2
	}
	buf := C.malloc(C.size_t(n * bytesPer))
	if buf == nil {
		return nil, fmt.Errorf("out of memory for %d×%d pixels", f.Cols, f.Rows)
	}
	defer C.free(buf)
	src := C.CBytes(data)
	defer C.free(src)
	var info C.sl_charls_frame_info
	var msg *C.char
	rc := C.sl_jpegls(src, C.size_t(len(data)), buf, C.size_t(n*bytesPer), C.uint32_t(f.Cols), C.uint32_t(f.Rows), &info, &msg)
	switch {
	case rc == -1:
		return nil, fmt.Errorf("%w: the JPEG-LS frame is %d×%d with %d components, the DICOM header says %d×%d greyscale", codec.ErrMismatch, info.width, info.height, info.component_count, f.Cols, f.Rows)
	case rc == -2:
		return nil, fmt.Errorf("%w: %d-bit JPEG-LS samples, the DICOM header says %d bits stored", codec.ErrMismatch, info.bits_per_sample, f.BitsStored)
	case rc != 0:
		m := "error"
		if msg != nil {
			m = C.GoString(msg)
		}
		return nil, fmt.Errorf("corrupt JPEG-LS (CharLS %d: %s)", int(rc), m)
	}
	if int(info.bits_per_sample) > f.BitsAllocated {
		return nil, fmt.Errorf("%w: %d-bit JPEG-LS samples in %d-bit pixels", codec.ErrMismatch, info.bits_per_sample, f.BitsAllocated)
	}
	out := make([]uint16, n)
	if bytesPer == 1 {
		for i, b := range unsafe.Slice((*byte)(buf), n) {
			out[i] = uint16(b)
		}
	} else {
		copy(out, unsafe.Slice((*uint16)(buf), n))
	}
	return out, nil
}

func decodeJ2K(data []byte, f codec.Frame) ([]uint16, error) {
	openjpOnce.Do(func() {
		openjpErr = openLib(openjpLib, "libopenjp2-7", func(n *C.char) C.int { return C.sl_opj_open(n) })
	})
	if openjpErr != nil {
		return nil, openjpErr
	}
	if len(data) == 0 {
		return nil, fmt.Errorf("corrupt JPEG 2000: no data")
	}
	n := f.Rows * f.Cols
	buf := (*C.int32_t)(C.malloc(C.size_t(n * 4)))
	if buf == nil {
		return nil, fmt.Errorf("out of memory for %d×%d pixels", f.Cols, f.Rows)
	}
	defer C.free(unsafe.Pointer(buf))
	src := C.CBytes(data)
	defer C.free(src)
	var dims [5]C.uint32_t
	errBuf := (*C.char)(C.calloc(256, 1))
	defer C.free(unsafe.Pointer(errBuf))
	rc := C.sl_j2k((*C.uchar)(src), C.size_t(len(data)), buf, C.uint32_t(f.Cols), C.uint32_t(f.Rows), &dims[0], errBuf)
	msg := strings.TrimSpace(C.GoString(errBuf))
	switch rc {
	case 0:
	case -1:
		return nil, fmt.Errorf("%w: the JPEG 2000 image is %d×%d with %d components, the DICOM header says %d×%d greyscale", codec.ErrMismatch, dims[0], dims[1], dims[2], f.Cols, f.Rows)
	default:
		if msg == "" {
			msg = "the codestream could not be decoded"
		}
		return nil, fmt.Errorf("corrupt JPEG 2000 (OpenJPEG: %s)", msg)
	}
	prec, signed := int(dims[3]), dims[4] != 0
	if prec > f.BitsAllocated {
		return nil, fmt.Errorf("%w: %d-bit JPEG 2000 samples in %d-bit pixels", codec.ErrMismatch, prec, f.BitsAllocated)
	}
	// A lossy decoder may over- or undershoot the range: clamp, then keep
	// the stored bits.
	lo, hi := int32(0), int32(1)<<f.BitsStored-1
	if signed {
		lo, hi = -(int32(1) << (f.BitsStored - 1)), int32(1)<<(f.BitsStored-1)-1
	}
	out := make([]uint16, n)
	mask := int32(1)<<f.BitsStored - 1
	for i, v := range unsafe.Slice((*int32)(unsafe.Pointer(buf)), n) {
		out[i] = uint16(min(max(v, lo), hi) & mask)
	}
	return out, nil
}
