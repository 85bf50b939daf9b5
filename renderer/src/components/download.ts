/**
 * Saves content as a file through the browser's download (a Blob URL clicked from a detached link),
 * for both the desktop window and the served console. Parts stay parts: a large export is never
 * joined into one string. The URL is freed once the download has taken the blob.
 */
export const downloadFile = (filename: string, parts: readonly BlobPart[], type: string): void => {
  const url = URL.createObjectURL(new Blob(parts as BlobPart[], { type }));
  try {
    const a = document.createElement('a');
    a.href = url;
    a.download = filename;
    document.body.appendChild(a);
    a.click();
    a.remove();
  } finally {
    setTimeout(() => URL.revokeObjectURL(url), 10_000);
  }
};
