// Vietnamese strings (tiếng Việt).
import type { Strings } from './en';

export const lang = 'vi';
/** The launcher's and the window shell's words: open|close|loading|failed[|title, else "Chat"] (loader/words.ts). */
export const launcher = 'Mở trò chuyện|Đóng trò chuyện|Đang tải…|Không tải được. Đang thử lại…|Trò chuyện';
export const strings: Strings = {
  greeting: 'Xin chào! Chúng tôi có thể giúp gì cho bạn?',
  message: 'Tin nhắn',
  send: 'Gửi',
  placeholder: 'Nhập tin nhắn…',
  start: 'Bắt đầu trò chuyện',
  formIntro: 'Cho chúng tôi biết bạn là ai để chúng tôi có thể phản hồi.',
  fieldLabels: { name: 'Họ tên', email: 'Email', phone: 'Số điện thoại' },
  requiredMark: '(bắt buộc)',
  errorSummary: (n: number) => `Vui lòng sửa ${n} trường.`,
  required: (label: string) => `Vui lòng nhập ${label.toLowerCase()}.`,
  email: 'Vui lòng nhập địa chỉ email, ví dụ ten@example.com.',
  number: 'Vui lòng nhập một số.',
  date: 'Vui lòng nhập ngày theo dạng YYYY-MM-DD.',
  emailOrPhone: 'Vui lòng nhập email hoặc số điện thoại để chúng tôi có thể trả lời.',
  pending: 'Đang gửi…',
  failed: 'Chưa gửi được.',
  unavailable: 'Trò chuyện hiện không khả dụng trên trang này.',
  retry: 'Thử lại',
  empty: 'Hãy gửi tin nhắn cho chúng tôi — chúng tôi thường trả lời trong vài phút.',
  typing: 'đang soạn tin…',
  you: 'Bạn',
  agent: 'Nhân viên',
  unread: (n: number) => `${n} chưa đọc`,
};
