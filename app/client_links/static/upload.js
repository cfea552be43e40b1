// Progressive enhancement: when a JPEG capture carries the moment it was taken (EXIF
// DateTimeOriginal), prefill the date and time fields with it. The page works without this.
(function () {
  "use strict";
  var input = document.getElementById("files");
  var day = document.getElementById("attempt_date");
  var hour = document.getElementById("attempt_time");
  if (!input || !day || !hour || !window.FileReader || !window.DataView) { return; }

  function exifDate(buffer) {
    var view = new DataView(buffer);
    if (view.byteLength < 4 || view.getUint16(0) !== 0xffd8) { return null; }
    var offset = 2;
    while (offset + 4 < view.byteLength) {
      var marker = view.getUint16(offset);
      var size = view.getUint16(offset + 2);
      if (marker === 0xffe1 && view.getUint32(offset + 4) === 0x45786966) {
        return readTiff(view, offset + 10);
      }
      offset += 2 + size;
    }
    return null;
  }

  function readTiff(view, start) {
    var little = view.getUint16(start) === 0x4949;
    function u16(at) { return view.getUint16(start + at, little); }
    function u32(at) { return view.getUint32(start + at, little); }
    function find(ifd, tag) {
      var count = u16(ifd);
      for (var i = 0; i < count; i++) {
        var entry = ifd + 2 + i * 12;
        if (u16(entry) === tag) { return entry; }
      }
      return null;
    }
    var exifPointer = find(u32(4), 0x8769);
    if (exifPointer === null) { return null; }
    var entry = find(u32(exifPointer + 8), 0x9003);
    if (entry === null) { return null; }
    var text = "";
    var at = u32(entry + 8);
    for (var j = 0; j < 19; j++) { text += String.fromCharCode(view.getUint8(start + at + j)); }
    var match = /^(\d{4}):(\d{2}):(\d{2}) (\d{2}):(\d{2})/.exec(text);
    return match ? { date: match[1] + "-" + match[2] + "-" + match[3], time: match[4] + ":" + match[5] } : null;
  }

  input.addEventListener("change", function () {
    var file = input.files && input.files[0];
    if (!file || file.type !== "image/jpeg") { return; }
    var reader = new FileReader();
    reader.onload = function () {
      try {
        var found = exifDate(reader.result);
        if (found) { day.value = found.date; hour.value = found.time; }
      } catch (e) { /* no readable metadata: keep what is there */ }
    };
    reader.readAsArrayBuffer(file.slice(0, 131072));
  });
})();
