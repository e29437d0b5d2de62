import type { Translation } from './translation.js';

export const vi: Translation = {
  $code: 'vi',
  $name: 'Tiếng Việt',
  $dir: 'ltr',

  accept: 'Chấp nhận',
  reject: 'Từ chối',
  moreOptions: 'Tùy chọn khác',
  attachFile: 'Đính kèm tệp',
  typeMessage: 'Nhập tin nhắn',
  send: 'Gửi',
  save: (fileName) => `Lưu ${fileName}`,
  endConversation: 'Kết thúc cuộc trò chuyện',
  dismiss: 'Đóng',
  unsupportedMessageType: 'Lỗi: Khách hàng đã gửi loại tin nhắn không được hỗ trợ.',
};
