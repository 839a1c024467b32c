package llmtest

import "encoding/json"

// Batch statuses, as OpenAI names them.
const (
	StatusValidating = "validating"
	StatusFailed     = "failed"
	StatusInProgress = "in_progress"
	StatusFinalizing = "finalizing"
	StatusCompleted  = "completed"
	StatusExpired    = "expired"
	StatusCancelling = "cancelling"
	StatusCancelled  = "cancelled"
)

// Codes of the lines a batch did not answer, in the error file.
const (
	CodeBatchExpired   = "batch_expired"
	CodeBatchCancelled = "batch_cancelled"
	CodeRequestTimeout = "request_timeout"
)

// Validation error codes in a failed batch's errors.data.
const (
	CodeEmptyFile         = "empty_file"
	CodeInvalidJSONLine   = "invalid_json_line"
	CodeDuplicateCustomID = "duplicate_custom_id"
	CodeURLMismatch       = "url_mismatch"
	CodeModelMismatch     = "model_mismatch"
	CodeTooManyTasks      = "too_many_tasks"
	CodeInvalidRequest    = "invalid_request"
)

// MaxBatchLines is the most requests OpenAI takes in one batch.
const MaxBatchLines = 50000

// FileObject is OpenAI's file object.
type FileObject struct {
	ID            string  `json:"id"`
	Object        string  `json:"object"`
	Bytes         int     `json:"bytes"`
	CreatedAt     int64   `json:"created_at"`
	ExpiresAt     *int64  `json:"expires_at"`
	Filename      string  `json:"filename"`
	Purpose       string  `json:"purpose"`
	Status        string  `json:"status"`
	StatusDetails *string `json:"status_details"`
}

// BatchObject is OpenAI's batch object.
type BatchObject struct {
	ID               string            `json:"id"`
	Object           string            `json:"object"`
	Endpoint         string            `json:"endpoint"`
	Errors           *BatchErrors      `json:"errors"`
	InputFileID      string            `json:"input_file_id"`
	CompletionWindow string            `json:"completion_window"`
	Status           string            `json:"status"`
	OutputFileID     *string           `json:"output_file_id"`
	ErrorFileID      *string           `json:"error_file_id"`
	CreatedAt        int64             `json:"created_at"`
	InProgressAt     *int64            `json:"in_progress_at"`
	ExpiresAt        *int64            `json:"expires_at"`
	FinalizingAt     *int64            `json:"finalizing_at"`
	CompletedAt      *int64            `json:"completed_at"`
	FailedAt         *int64            `json:"failed_at"`
	ExpiredAt        *int64            `json:"expired_at"`
	CancellingAt     *int64            `json:"cancelling_at"`
	CancelledAt      *int64            `json:"cancelled_at"`
	RequestCounts    BatchCounts       `json:"request_counts"`
	Metadata         map[string]string `json:"metadata"`
}

// BatchErrors is a failed batch's "errors": why its input did not validate.
type BatchErrors struct {
	Object string       `json:"object"`
	Data   []BatchError `json:"data"`
}

// BatchError is one validation error, with the input line (1-based) it
// concerns when there is one.
type BatchError struct {
	Code    string  `json:"code"`
	Message string  `json:"message"`
	Param   *string `json:"param"`
	Line    *int    `json:"line"`
}

// BatchCounts is a batch's request_counts.
type BatchCounts struct {
	Total     int `json:"total"`
	Completed int `json:"completed"`
	Failed    int `json:"failed"`
}

// BatchInputLine is one line of a batch input file.
type BatchInputLine struct {
	CustomID string          `json:"custom_id"`
	Method   string          `json:"method"`
	URL      string          `json:"url"`
	Body     json.RawMessage `json:"body"`
}

// BatchOutputLine is one line of a batch's output or error file: the
// reply to a request (Response, any status), or why there is none (Error).
type BatchOutputLine struct {
	ID       string             `json:"id"`
	CustomID string             `json:"custom_id"`
	Response *BatchLineResponse `json:"response"`
	Error    *BatchLineError    `json:"error"`
}

// BatchLineResponse is the HTTP reply a request got.
type BatchLineResponse struct {
	StatusCode int             `json:"status_code"`
	RequestID  string          `json:"request_id"`
	Body       json.RawMessage `json:"body"`
}

// BatchLineError says why a request got no reply.
type BatchLineError struct {
	Code    string `json:"code"`
	Message string `json:"message"`
}
