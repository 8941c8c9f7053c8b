package imageio

import (
	"fmt"
	"image"
	"image/png"
	"io"
	"sort"

	"github.com/suyashkumar/dicom"
	"github.com/suyashkumar/dicom/pkg/frame"
	"github.com/suyashkumar/dicom/pkg/tag"

	"github.com/screenlab/screenlab/internal/atomicfile"
)

// DICOMInfo is what WriteDICOM records about an image.
type DICOMInfo struct {
	PatientID, StudyUID, SOPUID string
	Laterality, View            string // L/R, CC/MLO
	Photometric                 string // MONOCHROME2 (default) or MONOCHROME1
	BitsStored                  int    // default 12
	Intent                      string // FOR PRESENTATION (default) or FOR PROCESSING

	extra []*dicom.Element // more elements (tests: VOI LUTs)
}

const mgSOPClass = "1.2.840.10008.5.1.4.1.1.1.2" // Digital Mammography X-Ray Image Storage – For Presentation

// WriteDICOM writes stored pixel values (row-major, width × height) as an
// uncompressed MG DICOM file, atomically.
func WriteDICOM(path string, width, height int, stored []uint16, info DICOMInfo) error {
	if info.Photometric == "" {
		info.Photometric = "MONOCHROME2"
	}
	if info.BitsStored == 0 {
		info.BitsStored = 12
	}
	if info.Intent == "" {
		info.Intent = "FOR PRESENTATION"
	}
	nf := frame.NewNativeFrame[uint16](16, height, width, width*height, 1)
	copy(nf.RawData, stored)
	type kv struct {
		t tag.Tag
		v any
	}
	maxV := 1<<info.BitsStored - 1
	items := []kv{
		{tag.MediaStorageSOPClassUID, []string{mgSOPClass}},
		{tag.MediaStorageSOPInstanceUID, []string{info.SOPUID}},
		{tag.TransferSyntaxUID, []string{"1.2.840.10008.1.2.1"}},
		{tag.SOPClassUID, []string{mgSOPClass}},
		{tag.SOPInstanceUID, []string{info.SOPUID}},
		{tag.StudyInstanceUID, []string{info.StudyUID}},
		{tag.Modality, []string{"MG"}},
		{tag.PatientID, []string{info.PatientID}},
		{tag.ImageLaterality, []string{info.Laterality}},
		{tag.ViewPosition, []string{info.View}},
		{tag.PresentationIntentType, []string{info.Intent}},
		{tag.SamplesPerPixel, []int{1}},
		{tag.PhotometricInterpretation, []string{info.Photometric}},
		{tag.Rows, []int{height}},
		{tag.Columns, []int{width}},
		{tag.BitsAllocated, []int{16}},
		{tag.BitsStored, []int{info.BitsStored}},
		{tag.HighBit, []int{info.BitsStored - 1}},
		{tag.PixelRepresentation, []int{0}},
		{tag.RescaleSlope, []string{"1"}},
		{tag.RescaleIntercept, []string{"0"}},
		{tag.WindowCenter, []string{fmt.Sprint((maxV + 1) / 2)}},
		{tag.WindowWidth, []string{fmt.Sprint(maxV + 1)}},
		{tag.PixelData, dicom.PixelDataInfo{Frames: []*frame.Frame{{NativeData: nf}}}},
	}
	ds := dicom.Dataset{}
	for _, it := range items {
		e, err := dicom.NewElement(it.t, it.v)
		if err != nil {
			return fmt.Errorf("dicom %v: %w", it.t, err)
		}
		ds.Elements = append(ds.Elements, e)
	}
	for _, x := range info.extra { // an extra element replaces one of the same tag
		kept := ds.Elements[:0]
		for _, e := range ds.Elements {
			if e.Tag != x.Tag {
				kept = append(kept, e)
			}
		}
		ds.Elements = append(kept, x)
	}
	sort.SliceStable(ds.Elements, func(i, j int) bool { // tag order, as PS3.5 7.1 wants
		a, b := ds.Elements[i].Tag, ds.Elements[j].Tag
		return a.Group < b.Group || a.Group == b.Group && a.Element < b.Element
	})
	return atomicfile.WriteFile(path, func(w io.Writer) error { return dicom.Write(w, ds) })
}

// WritePNG16 writes stored values scaled to 16 bits as a grayscale PNG.
func WritePNG16(path string, width, height int, stored []uint16, bitsStored int) error {
	img := image.NewGray16(image.Rect(0, 0, width, height))
	scale := 65535 / float64(int(1)<<bitsStored-1)
	for i, v := range stored {
		img.Pix[2*i] = byte(uint16(float64(v)*scale+0.5) >> 8)
		img.Pix[2*i+1] = byte(uint16(float64(v)*scale + 0.5))
	}
	return atomicfile.WriteFile(path, func(w io.Writer) error { return png.Encode(w, img) })
}
