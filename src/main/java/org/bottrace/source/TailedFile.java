package org.bottrace.source;

import java.io.Closeable;
import java.io.IOException;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * One log followed forever at a fixed path, through rotation, truncation, deletion and restarts.
 *
 * <p>It keeps the file it reads open, with that file's identity ({@link FileId}) and its byte offset.
 * Each {@link #next()} first reads what the open file has; at its end it compares the path's inode with
 * the open file's: a different inode means the log was rotated (the old file, now drained to its last
 * complete line, is closed and the new one read from 0); the same inode but a size below the offset
 * means it was truncated in place (copytruncate: the copy, found by fingerprint beside it, is drained
 * first, then the file is read from 0). A missing path is waited for, never an error. Only complete
 * lines are read; a half-written last line waits for its newline.
 *
 * <p>A restart resumes at a {@link Position}: in the file at the path if it is still the same one, or
 * in the file it became after Zeek renamed (and gzipped) it into an archive folder, found by inode or
 * fingerprint, and then in the file now at the path.
 */
public final class TailedFile implements Closeable {
  /**
   * Where a followed log stands: in which file and how far, and the Zeek header in force there.
   *
   * @param file the file's identity
   * @param offset the byte offset (in the decompressed stream) to resume at
   * @param headerLines the Zeek header lines in force at the offset (empty for JSON logs)
   */
  public record Position(FileId file, long offset, List<String> headerLines) {}

  private final Path path;
  private final String name;
  private final Diagnostics diag;
  private final List<Path> archiveDirs;
  private Position resume;
  private final boolean fromStart;
  private long rotatedSince = Long.MIN_VALUE;
  private final java.util.ArrayDeque<Path> backlog = new java.util.ArrayDeque<>();
  private boolean started;
  private Handle current;
  private long rotations;
  private long truncations;
  private long malformedClosed; // malformed lines of files already closed

  /** An open physical file. */
  private final class Handle implements Closeable {
    final Path openedAs;
    final FileChannel channel;
    final LogFileReader reader;
    final long[] inode;
    final boolean finished; // a rotated archive: read to its end, never grows
    final boolean gz;
    FileId id;

    Handle(Path p, long offset, List<String> headerLines, boolean finished) throws IOException {
      this.openedAs = p;
      this.channel = FileChannel.open(p, StandardOpenOption.READ);
      this.inode = FileId.inode(p);
      this.finished = finished;
      this.gz = isGzip(p);
      java.io.InputStream in;
      if (gz) {
        in = new java.util.zip.GZIPInputStream(Channels.newInputStream(channel), 1 << 16);
        in.skipNBytes(offset);
      } else {
        channel.position(offset);
        in = Channels.newInputStream(channel);
      }
      this.reader = new LogFileReader(in, name, path.getFileName().toString(), offset, finished, diag);
      reader.restoreHeader(headerLines);
      this.id = FileId.of(p);
    }

    /** The identity, its fingerprint widened while the file is younger than the fingerprint's length. */
    FileId id() throws IOException {
      if (id == null || (id.fingerprintLength() < FileId.FINGERPRINT_BYTES && !finished
          && channel.size() > id.fingerprintLength())) {
        FileId now = FileId.of(openedAs);
        if (now != null && now.ino() == inode[1]) {
          id = now;
        }
      }
      return id;
    }

    @Override
    public void close() throws IOException {
      reader.finish();
      reader.close();
      channel.close();
    }
  }

  /**
   * @param path the log's path (the file Zeek or Suricata writes)
   * @param diag where problems are reported
   * @param resume where a checkpoint says to resume, or null
   * @param fromStart with no checkpoint: read existing content (true) or start at its end (false)
   * @param archiveDirs where rotated files may have gone (the path's own folder is always searched)
   */
  public TailedFile(Path path, Diagnostics diag, Position resume, boolean fromStart, List<Path> archiveDirs) {
    this.path = path;
    this.name = path.toString();
    this.diag = diag;
    this.resume = resume;
    this.fromStart = fromStart;
    this.archiveDirs = archiveDirs;
  }

  /**
   * After a restart from a checkpoint that had not seen this log yet: files of this log rotated away
   * (renamed beside it or into the archive folders) after {@code epochMillis} are read first, oldest
   * first, so lines written while bottrace was down are not lost with the rotation.
   */
  public void rotatedSince(long epochMillis) {
    this.rotatedSince = epochMillis;
  }

  /** Opens the file now (where a first start or a checkpoint says), so its position can be checkpointed. */
  public void start() throws IOException {
    if (current == null && !started) {
      try {
        open();
        recovered();
      } catch (IOException e) {
        unreadable(e);
      }
    }
  }

  /**
   * The next run of complete lines, parsed; null when nothing new is there now. Never fails on a missing
   * or unreadable file: an unreadable one (permission denied, an I/O error) is reported once with its
   * cause and tried again at every poll, from where it was, while the other inputs go on.
   */
  public Chunk next() {
    try {
      Chunk c = read();
      recovered();
      return c;
    } catch (IOException e) {
      unreadable(e);
      return null;
    }
  }

  /** The cause last reported, while the file cannot be read. */
  private String failing;

  private void unreadable(IOException e) {
    String why = IoCause.of(e);
    if (!why.equals(failing)) {
      failing = why;
      diag.warn(name + ": cannot read (" + why + "); trying again at every poll, the other inputs go on");
    }
    if (current != null) {
      // the handle may be unusable now (a closed channel, an I/O error): the next poll opens the file
      // again where the last line read ended, found by its identity as after a restart
      Position at = position();
      try {
        closeCurrent();
      } catch (IOException ignored) {
        current = null;
      }
      if (at != null && at.file() != null) {
        resume = at;
        started = false;
      }
    }
  }

  private void recovered() {
    if (failing != null) {
      failing = null;
      diag.warn(name + ": readable again");
    }
  }

  /** Whether the file could not be read at the last try. */
  public boolean failing() {
    return failing != null;
  }

  private Chunk read() throws IOException {
    for (int guard = 0; guard < 8; guard++) {
      if (current == null && !open()) {
        return null;
      }
      if (replacedInPlace()) {
        continue;
      }
      Chunk c = current.reader.readChunk();
      if (c != null) {
        current.reader.parse(c);
        current.reader.take(c);
        c.file = current.id();
        return c;
      }
      if (current.finished) {
        closeCurrent();
        continue; // an archive drained: go on with the file at the path
      }
      long[] now = FileId.inode(path);
      if (now == null) {
        current.reader.resume();
        return null; // renamed away, not yet replaced: keep the old handle
      }
      if (now[0] != current.inode[0] || now[1] != current.inode[1]) {
        // rotated: the old file was read to its last complete line; the new one starts at 0
        rotations++;
        closeCurrent();
        carriedHeader = List.of(); // a new file: it writes its own header
        current = new Handle(path, 0, List.of(), false);
        continue;
      }
      long size = current.channel.size();
      if (size < current.channel.position() && !isGzip(current.openedAs)) {
        truncated(size);
        continue;
      }
      current.reader.resume();
      return null;
    }
    return null;
  }

  /**
   * Before new bytes are read: whether the file was truncated and written past our offset again between
   * two polls (copytruncate and then a burst), which its size cannot show, but its first KiB can. Then
   * it is handled as a truncation, with a warning that the bytes from our offset may start mid-line.
   */
  private boolean replacedInPlace() throws IOException {
    Handle h = current;
    if (h.finished || h.gz || h.id == null || h.id.fingerprintLength() == 0
        || h.channel.size() <= h.channel.position() || h.id.sameContentStart(h.openedAs)) {
      return false;
    }
    long[] now = FileId.inode(path);
    if (now == null || now[0] != h.inode[0] || now[1] != h.inode[1]) {
      return false; // renamed away or replaced by a new file: the rotation check sees to it
    }
    diag.warn(name + ": its first KiB changed while it grew past " + h.reader.offset() + " bytes (truncated in place"
        + " and written again between two polls: copytruncate?); what was written before the truncation after our"
        + " offset may be lost");
    truncated(h.channel.size());
    return true;
  }

  /** The Zeek header in force before a truncation in place: the writer goes on without writing it again. */
  private List<String> carriedHeader = List.of();

  private void truncated(long size) throws IOException {
    truncations++;
    long had = current.reader.offset();
    List<String> header = current.reader.headerLines();
    FileId old = current.id;
    Path copy = old == null || old.fingerprintLength() == 0 ? null : findByContent(old, current.openedAs);
    closeCurrent();
    if (copy != null) {
      // copytruncate: what was copied past our offset is read from the copy
      current = new Handle(copy, had, header, true);
      diag.warn(name + ": truncated in place (copytruncate?); reading the rest of the old content from " + copy);
    } else {
      diag.warn(name + ": truncated in place to " + size + " bytes after " + had + " were read; lines written between"
          + " the last read and the truncation are lost");
      current = new Handle(path, 0, header, false);
    }
    carriedHeader = header;
  }

  private boolean open() throws IOException {
    if (!started) {
      // the first open: where a checkpoint or the first start says; tried again as it was when it fails
      try {
        boolean opened = firstOpen();
        started = true;
        resume = null;
        return opened;
      } catch (IOException e) {
        backlog.clear();
        closeCurrent();
        throw e;
      }
    }
    if (!backlog.isEmpty()) {
      current = new Handle(backlog.peek(), 0, List.of(), true);
      backlog.poll();
      return true;
    }
    if (!Files.isRegularFile(path)) {
      return false;
    }
    current = new Handle(path, 0, carriedHeader, false);
    return true;
  }

  private boolean firstOpen() throws IOException {
    {
      Position r = resume;
      if (r != null) {
        return openAt(r);
      }
      if (rotatedSince != Long.MIN_VALUE) {
        List<Path> missed = new ArrayList<>();
        for (Path c : candidates()) {
          if (Files.getLastModifiedTime(c).toMillis() >= rotatedSince) {
            missed.add(c);
          }
        }
        missed.sort(java.util.Comparator.comparing(p -> {
          try {
            return Files.getLastModifiedTime(p);
          } catch (IOException e) {
            return java.nio.file.attribute.FileTime.fromMillis(0);
          }
        }));
        backlog.addAll(missed);
        if (!missed.isEmpty()) {
          diag.warn(name + ": reading " + missed + " first (rotated while bottrace was stopped)");
        }
      }
      if (!backlog.isEmpty()) {
        current = new Handle(backlog.peek(), 0, List.of(), true);
        backlog.poll();
        return true;
      }
      if (!Files.isRegularFile(path)) {
        return false; // a new file at this path will be read from 0
      }
      if (fromStart) {
        current = new Handle(path, 0, List.of(), false);
      } else {
        current = atEnd();
      }
      return true;
    }
  }

  /** First start without --from-start: skip what is there, keeping the Zeek header in force at the end. */
  private Handle atEnd() throws IOException {
    Handle h = new Handle(path, 0, List.of(), false);
    long size = h.channel.size();
    // read the header lines only; data lines are passed over unparsed
    Chunk c;
    while ((c = h.reader.readChunk()) != null) {
      if (c.endOffset >= size) {
        break;
      }
    }
    return h;
  }

  private boolean openAt(Position r) throws IOException {
    FileId at = FileId.of(path);
    if (at != null && at.dev() == r.file().dev() && at.ino() == r.file().ino() && r.file().sameContentStart(path)) {
      current = new Handle(path, r.offset(), r.headerLines(), false);
      return true;
    }
    Path found = findByIdentity(r.file());
    if (found != null) {
      diag.warn(name + ": resuming in " + found + " (rotated while bottrace was stopped), then " + path);
      current = new Handle(found, r.offset(), r.headerLines(), true);
      return true;
    }
    diag.warn(name + ": the file of the checkpoint (inode " + r.file().ino() + ") is gone; reading " + path
        + " from its start");
    if (!Files.isRegularFile(path)) {
      return false;
    }
    current = new Handle(path, 0, List.of(), false);
    return true;
  }

  /** A file that is the given one: same inode (renamed) or same first bytes (gzipped), in the archive folders. */
  private Path findByIdentity(FileId id) throws IOException {
    for (Path cand : candidates()) {
      long[] ino = FileId.inode(cand);
      if (ino != null && ino[0] == id.dev() && ino[1] == id.ino() && id.sameContentStart(cand)) {
        return cand;
      }
    }
    for (Path cand : candidates()) {
      if (id.fingerprintLength() > 0 && id.sameContentStart(cand)) {
        return cand;
      }
    }
    return null;
  }

  private Path findByContent(FileId id, Path except) throws IOException {
    for (Path cand : candidates()) {
      if (!cand.equals(except) && id.sameContentStart(cand)) {
        return cand;
      }
    }
    return null;
  }

  /** Files that may be this log rotated: names starting with the log's base name, in the archive folders. */
  private List<Path> candidates() throws IOException {
    String base = path.getFileName().toString();
    int dot = base.indexOf('.');
    String stem = dot < 0 ? base : base.substring(0, dot);
    Set<Path> dirs = new LinkedHashSet<>();
    dirs.add(path.toAbsolutePath().getParent());
    for (Path a : archiveDirs) {
      dirs.add(a);
      dirs.addAll(newestSubfolders(a, 3)); // zeekctl's logs/YYYY-MM-DD/ folders
    }
    List<Path> out = new ArrayList<>();
    for (Path d : dirs) {
      if (d == null || !Files.isDirectory(d)) {
        continue;
      }
      try (DirectoryStream<Path> ds = Files.newDirectoryStream(d, stem + "*")) {
        for (Path p : ds) {
          if (Files.isRegularFile(p) && !p.toAbsolutePath().equals(path.toAbsolutePath())) {
            out.add(p);
          }
        }
      }
    }
    out.sort(null);
    return out;
  }

  /** The last {@code n} subfolders of a folder by name (dated folders sort by date). */
  private static List<Path> newestSubfolders(Path dir, int n) throws IOException {
    if (!Files.isDirectory(dir)) {
      return List.of();
    }
    List<Path> subs = new ArrayList<>();
    try (DirectoryStream<Path> ds = Files.newDirectoryStream(dir, Files::isDirectory)) {
      ds.forEach(subs::add);
    }
    subs.sort(null);
    return subs.subList(Math.max(0, subs.size() - n), subs.size());
  }

  private static boolean isGzip(Path p) throws IOException {
    try (java.io.InputStream in = Files.newInputStream(p)) {
      return in.read() == 0x1f && in.read() == 0x8b;
    }
  }

  private void closeCurrent() throws IOException {
    if (current != null) {
      malformedClosed += current.reader.malformed();
      current.close();
      current = null;
    }
  }

  /**
   * Where this log stands after everything returned so far: the open file and the offset after the
   * last line read; before the first open (the file cannot be read yet), where it is to resume. Null
   * when neither is known.
   */
  public Position position() {
    if (current == null) {
      return started ? null : resume;
    }
    List<String> header = current.reader.headerLines();
    try {
      return new Position(current.id(), current.reader.offset(), header);
    } catch (IOException e) {
      return new Position(current.id, current.reader.offset(), header);
    }
  }

  /** Bytes of the open file's stream not yet read into lines: how far behind its end this log is. */
  public long lag() {
    try {
      return current == null ? 0 : Math.max(0, current.channel.size() - current.reader.offset());
    } catch (IOException e) {
      return 0;
    }
  }

  /** Malformed lines skipped in this log since start, across its files. */
  public long malformed() {
    return malformedClosed + (current == null ? 0 : current.reader.malformed());
  }

  public long rotations() {
    return rotations;
  }

  public long truncations() {
    return truncations;
  }

  public Path path() {
    return path;
  }

  @Override
  public void close() throws IOException {
    closeCurrent();
  }
}
