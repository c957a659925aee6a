import { MultipartForm, readMultipart } from '@jalon/api';
import { Injectable } from '@nestjs/common';
import { CsrfRejectedError, WebRequest } from './web-session.guard';
import { WebSessions } from './web-sessions';

/**
 * How a dashboard route reads a file upload (a `multipart/form-data` form), and the only way it
 * should: the session guard cannot read such a body, so the anti-forgery token is checked here, as
 * the form is read. The route is marked {@link ReadsUploadForm} (./web-session.guard.ts), without
 * which the guard refuses any upload to it.
 */
@Injectable()
export class UploadForms {
  constructor(private readonly sessions: WebSessions) {}

  /**
   * The form's fields and files, once its `_csrf` field has matched the session's token: checked
   * as soon as the first file begins (the forms put the token before the file input, as browsers
   * send fields in order), so a forged upload is refused before its file is read, and before the
   * route validates, decides or writes anything. A missing or wrong token (or one that comes after
   * the file) throws {@link CsrfRejectedError}, as the guard does for any other form; a token in
   * the address counts for nothing. The token is not among the fields returned.
   */
  async read(request: WebRequest, fileLimitBytes: number): Promise<MultipartForm> {
    const session = request.webSession;
    const form = await readMultipart(request, fileLimitBytes, {
      beforeFiles: (fields) => {
        if (!session || !this.sessions.csrfMatches(session, fields._csrf)) throw new CsrfRejectedError();
      },
    });
    const { _csrf: _token, ...fields } = form.fields;
    return { fields, files: form.files };
  }
}
